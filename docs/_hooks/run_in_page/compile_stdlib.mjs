// Compiles Pyodide's standard library to bytecode, with Pyodide's own CPython so that the bytecode's
// magic number is exactly the one the browser's interpreter expects. A browser that imports .pyc
// files skips compiling the modules it loads, which halves the time to the first output.
//
// usage: node compile_stdlib.mjs PYODIDE_DIR OUTPUT_ZIP   (run by docs/_hooks/run_examples.py, cached)

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, output] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep });
pyodide.runPython(`
import sys
import zipfile
from importlib._bootstrap_external import _code_to_timestamp_pyc

source_zip = next(entry for entry in sys.path if entry.endswith(".zip"))
with zipfile.ZipFile(source_zip) as original, \\
        zipfile.ZipFile("/tmp/stdlib.zip", "w") as compiled:
    for entry in original.infolist():
        data = original.read(entry)
        name = entry.filename
        if name.endswith(".py"):
            try:
                code = compile(data, f"{source_zip}/{name}", "exec", dont_inherit=True)
            except SyntaxError:  # test data written to be invalid: kept as it is
                pass
            else:
                # a .pyc without its .py beside it: zipimport loads it with no timestamp check
                name, data = name + "c", bytes(_code_to_timestamp_pyc(code, 0, 0))
        compiled.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED, 9)
`);
fs.writeFileSync(output, pyodide.FS.readFile("/tmp/stdlib.zip"));
