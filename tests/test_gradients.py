"""Every operation's gradient against its closed-form derivative and against central differences,
then random expression graphs against central differences."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from cases import CASE_IDS, OP_CASES, OpCase
from micrograd import Value
from strategies import Graph, Reject, ValueBackend, graphs


def assert_close(actual: float, expected: float, rel: float, what: str, abs_: float = 0.0) -> None:
    assert math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_), f"{what}: got {actual!r}, expected {expected!r}"


@pytest.mark.parametrize("case", OP_CASES, ids=CASE_IDS)
@settings(max_examples=40, deadline=None, database=None)
@given(data=st.data())
def test_operation_matches_its_derivative_and_central_differences(case: OpCase, data: st.DataObject) -> None:
    args = data.draw(case.domain, label="inputs")
    xs = [Value(x) for x in args]
    out = case.f(*xs)
    assert isinstance(out, Value)
    assert_close(out.data, case.value(*args), 1e-12, f"{case.name} forward")
    out.backward()
    for i, (x, analytic, numeric) in enumerate(zip(xs, case.grad(*args), case.numeric_grad(args))):
        assert_close(x.grad, analytic, 1e-12, f"{case.name}: d/d(arg {i}) vs closed form")
        assert_close(x.grad, numeric, 1e-6, f"{case.name}: d/d(arg {i}) vs central differences", abs_=1e-8)


@pytest.mark.parametrize(("spell", "expected", "slope"), [
    (lambda a: 2 + a, 5.0, 1.0),
    (lambda a: 1 - a, -2.0, -1.0),
    (lambda a: 2 * a, 6.0, 2.0),
    (lambda a: 1 / a, 1 / 3, -1 / 9),
    (lambda a: 2**a, 8.0, 8 * math.log(2)),
    (lambda a: -a, -3.0, -1.0),
], ids=["2 + a", "1 - a", "2 * a", "1 / a", "2 ** a", "-a"])
def test_reflected_forms_return_values_connected_to_the_graph(spell, expected: float, slope: float) -> None:
    a = Value(3.0)
    out = spell(a)
    assert type(out) is Value  # never a plain float, which would cut the graph
    assert a in out.topological_order()
    assert out.data == pytest.approx(expected, rel=1e-15)
    out.backward()
    assert a.grad == pytest.approx(slope, rel=1e-15)


def test_value_exponent_gets_a_gradient_in_base_and_exponent() -> None:
    a, k = Value(3.0), Value(2.0)
    out = a**k
    assert out._prev == (a, k)
    out.backward()
    assert (out.data, a.grad, k.grad) == pytest.approx((9.0, 6.0, 9 * math.log(3)), rel=1e-15)


@settings(max_examples=300, deadline=None, database=None)
@given(graph=graphs())
def test_random_graphs_match_central_differences(graph: Graph) -> None:
    try:
        numeric = graph.numeric_grad()
        expected_out, _ = graph.run_floats(graph.inputs)
    except Reject:
        reject()
    xs = [Value(x) for x in graph.inputs]
    out = graph.run(xs, ValueBackend())
    assert_close(out.data, expected_out, 1e-9, f"forward of {graph}", abs_=1e-12)
    out.backward()
    scale = max(1.0, *(abs(n) for n in numeric))
    for i, (x, n) in enumerate(zip(xs, numeric)):
        assert_close(x.grad, n, 1e-5, f"d/dx{i} of {graph}", abs_=1e-5 * scale)
