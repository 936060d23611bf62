// Compiles the Python the worker installs (the wheels, and the runner's own modules) to bytecode with
// Pyodide's own CPython, as pip's compileall would at install time: a zip of __pycache__ files at the
// paths where the worker unpacks the sources, so the browser imports them without compiling them.
// The .pyc files are hash-based and unchecked, so the unpacked sources' timestamps do not matter.
//
// usage: node compile_packages.mjs PYODIDE_DIR OUTPUT_ZIP SUPPORT_DIR SUPPORT_ZIP WHEEL...
//        (run by docs/_hooks/run_examples.py, cached by the hash of its inputs)

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, output, supportDir, supportZip, ...wheels] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep });
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
for (const wheel of wheels) {
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(wheel)), "wheel", { extractDir: sitePackages });
}
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(supportZip)), "zip", { extractDir: supportDir });
pyodide.globals.set("folders", pyodide.toPy([sitePackages, supportDir]));
pyodide.runPython(`
import importlib.util
import pathlib
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

with zipfile.ZipFile("/tmp/bytecode.zip", "w") as archive:
    for folder in folders:
        for source in sorted(pathlib.Path(folder).rglob("*.py")):
            data = source.read_bytes()
            code = compile(data, str(source), "exec", dont_inherit=True)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            cached = importlib.util.cache_from_source(str(source)).lstrip("/")
            archive.writestr(zipfile.ZipInfo(cached, date_time=(1980, 1, 1, 0, 0, 0)), bytes(pyc),
                             zipfile.ZIP_DEFLATED, 9)
`);
fs.writeFileSync(output, pyodide.FS.readFile("/tmp/bytecode.zip"));
