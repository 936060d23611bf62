"""The Value class: what it stores, the graph it records, how backward() fills in gradients
(every operation against its closed form and central differences, then random graphs), and its
errors on bad input."""

from __future__ import annotations

import gc
import itertools
import math
import random
import sys
from collections.abc import Callable, Iterator
from fractions import Fraction

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from micrograd import Value
from micrograd.gradcheck import central_difference
from op_table import CASE_IDS, OP_CASES, OPS, OpCase
from strategies import Graph, Reject, ValueBackend, graphs


def test_value_holds_a_float_a_zero_grad_and_a_label() -> None:
    v = Value(3, label="x")
    assert (type(v.data), v.data, v.grad, v.label) == (float, 3.0, 0.0, "x")
    assert Value(2.5).label == ""
    assert Value(Fraction(1, 4)).data == 0.25  # any real number, not only int and float


def test_repr_shows_data_and_grad() -> None:
    v = Value(-1.5)
    v.grad = 0.25
    assert repr(v) == "Value(data=-1.5, grad=0.25)"


def test_operations_record_children_in_order_and_their_op() -> None:
    a, b = Value(2.0), Value(3.0)
    assert (a + b)._prev == (a, b) and (a + b)._op == "+"
    assert (b * a)._prev == (b, a) and (b * a)._op == "*"
    assert (a / b)._prev == (a, b) and (a / b)._op == "/"
    assert (a**3)._prev == (a,) and (a**3)._op == "**3"
    for name, op in [("exp", "exp"), ("log", "log"), ("tanh", "tanh"), ("sigmoid", "sigmoid"), ("relu", "ReLU")]:
        out = getattr(a, name)()
        assert (out._prev, out._op) == ((a,), op)
    total = Value.sum([a, b, a])
    assert total._prev == (a, b, a) and total._op == "sum" and total.data == 7.0
    assert Value(1.0)._prev == () and Value(1.0)._op == ""


def test_a_number_operand_becomes_a_constant_leaf() -> None:
    a = Value(2.0)
    out = a * 4
    const = out._prev[1]
    assert type(const) is Value and const.data == 4.0 and const._prev == ()


def test_topological_order_puts_every_node_after_its_inputs() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = e.topological_order()
    assert order[-1] is e
    assert len(order) == len({id(v) for v in order}) == 5
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        assert all(position[id(child)] < position[id(v)] for child in v._prev)


def test_topological_order_is_deterministic_and_follows_child_order() -> None:
    def build() -> Value:
        a, b, c = Value(1.0, label="a"), Value(2.0, label="b"), Value(3.0, label="c")
        return ((a + b) * c + a).tanh()

    first, second = build().topological_order(), build().topological_order()
    assert [v.label for v in first] == [v.label for v in second]
    # depth first along each node's children, left to right
    assert [v.label for v in first if v.label] == ["a", "b", "c"]


def test_backward_seeds_the_root_with_one() -> None:
    x = Value(0.7)
    y = x * 5.0
    y.backward()
    assert y.grad == 1.0 and x.grad == 5.0


def test_lecture_neuron_gradients() -> None:
    """The lecture's hand-worked neuron: o = tanh(x1 w1 + x2 w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    o = n.tanh()
    o.backward()
    assert o.data == pytest.approx(math.sqrt(0.5), abs=1e-12)
    assert n.grad == pytest.approx(0.5, abs=1e-12)
    grads = [v.grad for v in (x1, w1, x2, w2)]
    assert grads == pytest.approx([-1.5, 1.0, 0.5, 0.0], abs=1e-12)


def test_manual_backward_one_node_at_a_time() -> None:
    """`_backward()` applies the chain rule for one node, as the lecture does by hand."""
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    o = c.tanh()
    o.grad = 1.0
    o._backward()
    assert c.grad == pytest.approx(1 - math.tanh(-6.0) ** 2)
    c._backward()
    assert (a.grad, b.grad) == pytest.approx((-3 * c.grad, 2 * c.grad))


def test_a_value_used_twice_gets_both_contributions() -> None:
    a = Value(3.0)
    b = a + a  # the lecture's bug: with `=` instead of `+=`, a.grad would be 1
    b.backward()
    assert a.grad == 2.0
    x = Value(-2.0)
    y = x * x * x
    y.backward()
    assert x.grad == 12.0


def test_a_second_backward_adds_again_until_zero_grad() -> None:
    x = Value(1.5)
    y = (x * 3.0).tanh() * 2.0  # deep enough that an intermediate node sits between root and leaf
    y.backward()
    once = x.grad
    y.backward()
    assert x.grad == pytest.approx(2 * once, rel=1e-15)
    x.grad = 0.0  # zero_grad
    y.backward()
    assert x.grad == pytest.approx(once, rel=1e-15)


def test_backward_of_a_second_root_adds_only_its_own_gradient() -> None:
    """Two losses sharing a subexpression: the second backward must not replay the first one's."""
    x = Value(0.5)
    shared = (x * x).exp()
    first, second = shared * 2.0, shared * -1.0
    first.backward()
    second.backward()
    assert x.grad == pytest.approx((2.0 - 1.0) * 2 * 0.5 * math.exp(0.25), rel=1e-14)


def test_a_graph_a_million_ops_deep() -> None:
    """Iterative sort: no recursion, so no recursion limit to hit or raise."""
    limit = sys.getrecursionlimit()
    x, one = Value(0.5), Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + one
    y.backward()
    assert y.data == 1_000_000.5
    assert x.grad == 1.0
    assert one.grad == 1_000_000.0  # used a million times: a million contributions
    assert sys.getrecursionlimit() == limit


# ---- the engine's deliberate behaviours, one test each ----

def _same(a: float, b: float) -> bool:
    """Equal floats, or both NaN (the sign of a zero aside)."""
    return a == b or (math.isnan(a) and math.isnan(b))


def _moons_like(rng: random.Random, n: int = 100) -> tuple[list[list[float]], list[int]]:
    points = [[rng.uniform(-2, 2), rng.uniform(-2, 2)] for _ in range(n)]
    return points, [1 if a * a - b > 0.5 else -1 for a, b in points]


def _train(steps: int) -> list[float]:
    """A 2-16-16-1 ReLU network on 100 points, max-margin loss + 1e-4 L2, SGD: the benchmark's step."""
    rng = random.Random(0)
    X, y = _moons_like(rng)
    sizes = [2, 16, 16, 1]
    net = [[([Value(rng.uniform(-1, 1)) for _ in range(nin)], Value(0.0)) for _ in range(nout)]
           for nin, nout in itertools.pairwise(sizes)]
    params = [p for layer in net for w, b in layer for p in (*w, b)]
    losses = []
    for k in range(steps):
        scores = []
        for row in X:
            x: list[Value] = list(map(Value, row))
            for depth, layer in enumerate(net):
                x = [Value.dot(w, x, b) for w, b in layer]
                x = [v.relu() for v in x] if depth < len(net) - 1 else x
            scores.append(x[0])
        margins = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        loss = sum(margins) / len(margins) + 1e-4 * sum(p * p for p in params)
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
        losses.append(loss.data)
    return losses


PINNED_LOSSES = [  # float.hex of each step's loss, from the engine before the speed work of issue 15
    "0x1.1e9061c4780e9p+1", "0x1.063694d1030a2p+2", "0x1.acb42ef9147f1p-2", "0x1.5aba6d2905ef6p-2",
    "0x1.1390110c82359p-2", "0x1.39d058e274cedp-2", "0x1.f546167b2049cp-2", "0x1.123c08250ed29p-1",
    "0x1.12b33e8676d88p-2", "0x1.8b048aa4350b4p-3", "0x1.51021541678e9p-3", "0x1.350e117c043a9p-3",
    "0x1.d4548636cc9f8p-3", "0x1.6f2063f88d6dep-3", "0x1.35b0f9956bf85p-3", "0x1.8cd41d512ff9fp-3",
    "0x1.e628cf17ac77dp-4", "0x1.3a72df8381384p-3", "0x1.1fdde46fd7216p-3", "0x1.740d54a3a7c35p-3",
]


def test_training_losses_are_the_same_to_the_last_bit() -> None:
    """Speed work must not change a single bit: 20 steps of the benchmark's training, pinned."""
    assert [loss.hex() for loss in _train(20)] == PINNED_LOSSES


@settings(max_examples=150, deadline=None, database=None)
@given(graph=graphs(), special=st.sampled_from([None, 0.0, math.nan, math.inf, -math.inf]))
def test_backward_is_backward_of_each_node_in_reverse_topological_order(graph: Graph, special: float | None) -> None:
    """backward() inlines _backward() and skips zero grads: the plain loop must give the same grads."""
    inputs = graph.inputs if special is None else (special, *graph.inputs[1:])

    def run() -> tuple[Value, list[Value]]:
        xs = [Value(x) for x in inputs]
        return graph.run(xs, ValueBackend()), xs

    try:
        fast, fast_xs = run()
    except (ValueError, ZeroDivisionError, OverflowError):
        reject()  # a named error: the rule for finite inputs outside a domain
    fast.backward()
    plain, plain_xs = run()
    order = plain.topological_order()
    plain.grad = 1.0
    for node in reversed(order):
        node._backward()
    for a, b in zip(order, fast.topological_order()):
        assert _same(a.grad, b.grad), f"{graph} at {inputs}"
    assert all(_same(a.grad, b.grad) for a, b in zip(plain_xs, fast_xs))


def test_value_and_the_fast_constructor_fill_the_same_fields() -> None:
    """Operations build results with _node, which skips Value()'s checks; both must set every slot alike."""
    a, b = Value(1.0), Value(2.0)
    made = Value(3.0, (a, b), "+", _local=(1.0, 1.0))
    fast = a + b
    for name in Value.__slots__:
        assert getattr(made, name) == getattr(fast, name), name
    leaf, lifted = Value(4.0), a * 4
    lifted_leaf = lifted._prev[1]
    assert {n: getattr(leaf, n) for n in Value.__slots__} == {n: getattr(lifted_leaf, n) for n in Value.__slots__}


def test_the_sort_pauses_the_collector_and_restores_it_as_it_was() -> None:
    """topological_order() turns the cyclic collector off while it runs, and back to what it was, even on an error."""

    class Spy(tuple[Value, ...]):  # children that, when the sort walks them, note whether the collector is on
        def __iter__(self) -> Iterator[Value]:
            seen.append(gc.isenabled())
            return super().__iter__()

    seen: list[bool] = []
    was = gc.isenabled()
    try:
        for before in (True, False):
            gc.enable() if before else gc.disable()
            inner = Value(1.0) + 2.0
            inner._prev = Spy(inner._prev)
            (inner * 3.0).topological_order()
            assert seen.pop() is False and gc.isenabled() == before
            broken = Value(1.0) + 2.0
            broken._prev = (Value(3.0), "not a Value")  # type: ignore[assignment]
            with pytest.raises(AttributeError):
                broken.topological_order()
            assert gc.isenabled() == before
    finally:
        gc.enable() if was else gc.disable()


def test_a_second_call_to_underscore_backward_adds_again() -> None:
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 1.0
    c._backward()
    c._backward()
    assert (a.grad, b.grad) == (-6.0, 4.0)


def test_relu_passes_no_gradient_at_zero_and_nan_through() -> None:
    for x in (0.0, -0.0):
        v = Value(x)
        out = v.relu()
        out.backward()
        assert (out.data, v.grad) == (0.0, 0.0)
    v = Value(math.nan)
    out = v.relu()
    out.backward()
    assert math.isnan(out.data) and v.grad == 1.0  # PyTorch's slope for NaN


@pytest.mark.parametrize(("k", "slope"), [(2.0, 0.0), (1.0, 1.0), (0.0, 0.0), (0.5, math.inf), (3.0, 0.0)])
def test_power_at_zero_has_the_slope_of_k_a_to_the_k_minus_1(k: float, slope: float) -> None:
    a = Value(0.0)
    out = a**k
    out.backward()
    assert (out.data, a.grad) == (0.0**k, slope)


@pytest.mark.parametrize(("a", "k", "slope"), [
    (1e-110, -2.0, -math.inf),  # -2 * 1e330: beyond a float, negative
    (-1e-110, -2.0, math.inf),  # -2 * (-1e330): positive
    (-1e-170, -1.0, -math.inf),  # -1 * 1e340
    (1e-170, -1.0, -math.inf),
], ids=["tiny a, k = -2", "tiny negative a, k = -2", "tiny negative a, k = -1", "tiny a, k = -1"])
def test_a_power_whose_slope_overflows_gets_an_infinity_of_the_right_sign(a: float, k: float, slope: float) -> None:
    """a^k is a float but k a^(k-1) is not: the slope is infinite, signed as k a^(k-1) (as float64 gives it)."""
    x = Value(a)
    out = x**k
    out.backward()
    assert math.isfinite(out.data) and x.grad == slope


def test_a_value_exponent_at_a_zero_base_gets_the_limit_zero() -> None:
    a, k = Value(0.0), Value(2.0)
    out = a**k
    out.backward()
    assert (out.data, a.grad, k.grad) == (0.0, 0.0, 0.0)  # d(0^k)/dk = 0^k ln 0 -> 0 for k > 0


def test_sum_with_a_number_start_adds_it_first_but_not_as_a_child() -> None:
    a, b = Value(1e16), Value(1.0)
    total = Value.sum([a, b], start=-1e16)
    assert total._prev == (a, b) and total._local == (1.0, 1.0)
    assert total.data == (-1e16 + 1e16) + 1.0 == 1.0  # start first: left to right, as builtin sum()
    total.backward()
    assert (a.grad, b.grad) == (1.0, 1.0)
    assert Value.sum([2, 3.5], start=1).data == 6.5


def test_dividing_by_a_tiny_number_gives_the_float64_gradient() -> None:
    b = Value(1e-170)
    out = 1 / b
    out.backward()
    assert out.data == 1e170 and b.grad == -math.inf  # -1/b^2 = -1e340 is beyond a float: -inf, as in torch
    a, b = Value(3.0), Value(-1e-200)
    out = a / b
    out.backward()
    assert (out.data, a.grad, b.grad) == (3.0 / -1e-200, 1 / -1e-200, -math.inf)


@pytest.mark.parametrize(("data", "shown"), [
    (10**400, "100000...000, 401 characters long"),
    (-(10**400), "-10000...000, 402 characters long"),
    (Fraction(10**400, 3), "100000...0/3, 403 characters long"),
], ids=["10**400", "-10**400", "Fraction"])
def test_a_number_too_large_for_a_float_names_itself(data: object, shown: str) -> None:
    message = f"Value({shown}) is too large for a float (the largest is about 1.8e308)"
    with pytest.raises(OverflowError) as raised:
        Value(data)  # type: ignore[arg-type]
    assert str(raised.value) == message


# ---- the NaN and infinity rule: finite in, finite out or a named error; NaN and inf carried through ----

EXTREMES = [0.0, -0.0, 5e-324, -1e-170, 1.0, -2.5, 1e154, 1e308, -1e308]
SPECIALS = [math.nan, math.inf, -math.inf]


@pytest.mark.parametrize("op", OPS)
def test_finite_inputs_give_a_finite_result_or_a_named_error(op: str) -> None:
    f, _ = OPS[op]
    for x, y in itertools.product(EXTREMES, repeat=2):
        try:
            out = f(Value(x), Value(y))
        except (ValueError, ZeroDivisionError, OverflowError) as error:
            assert str(x) in str(error), f"{op}: {error}"  # it names the numbers
            continue
        assert math.isfinite(out.data), f"{op} at {x}, {y} gave {out.data} without an error"
        out.backward()  # a local derivative may be infinite (1/b at b = 5e-324), but never raises


@pytest.mark.parametrize("op", OPS)
def test_nan_and_infinite_inputs_never_raise_and_nan_stays_nan(op: str) -> None:
    """The values themselves are compared with PyTorch's in test_torch.py; here: no error, NaN kept."""
    f, binary = OPS[op]
    for x, y in itertools.product([*SPECIALS, 0.0, 2.0, -2.0], repeat=2):
        if not (math.isfinite(x) and (math.isfinite(y) or not binary)):
            a, b = Value(x), Value(y)
            out = f(a, b)
            out.backward()
            one = (op == "a ** b" and (y == 0 or x == 1.0))  # x ** 0 and 1 ** y are 1, NaN or not (IEEE pow)
            if (math.isnan(x) or (binary and math.isnan(y))) and not one:
                assert math.isnan(out.data), f"{op}({x}, {y}) = {out.data}"


def test_skipping_zero_gradients_keeps_a_nan_from_zero_times_infinity() -> None:
    """relu(sqrt(x)) at 0: relu passes 0 down, sqrt's slope there is inf, and 0 * inf is NaN (as in torch)."""
    x = Value(0.0)
    out = (x**0.5).relu()
    out.backward()
    assert math.isnan(x.grad)
    x, big = Value(0.0), Value(math.inf)
    out = (x * big).relu() * 0.0  # a zero grad meets an infinite local derivative: NaN
    out.backward()
    assert (math.isnan(x.grad) and big.grad == 0.0) or math.isnan(big.grad)


# ---- nodes made the lecture's way: a closure for _backward ----

def _sin(x: Value) -> Value:
    """The lecture's way: make the node, then give it a closure that adds into its child's grad."""
    out = Value(math.sin(x.data), (x,), "sin")

    def _backward() -> None:
        x.grad += math.cos(x.data) * out.grad
    out._backward = _backward
    return out


def test_a_lecture_style_node_takes_part_in_backward_among_built_in_ones() -> None:
    x, y = Value(0.5), Value(-1.5)
    out = (_sin(x * y) + y).tanh() * _sin(x)
    out.backward()
    h = 1e-6

    def f(a: float, b: float) -> float:
        return math.tanh(math.sin(a * b) + b) * math.sin(a)
    assert x.grad == pytest.approx((f(0.5 + h, -1.5) - f(0.5 - h, -1.5)) / (2 * h), rel=1e-7)
    assert y.grad == pytest.approx((f(0.5, -1.5 + h) - f(0.5, -1.5 - h)) / (2 * h), rel=1e-7)
    node = _sin(x)
    assert callable(node._backward) and node._op == "sin" and node._prev == (x,)


def test_a_lecture_style_node_can_be_driven_by_hand() -> None:
    x = Value(0.25)
    out = _sin(x)
    out.grad = 2.0
    out._backward()
    assert x.grad == 2.0 * math.cos(0.25)


def test_children_without_local_derivatives_or_a_closure_say_what_to_pass() -> None:
    x = Value(1.0)
    out = Value(2.0, (x,), "sin") * 3
    with pytest.raises(ValueError, match=r"sin.*no local derivatives: pass _local=.*or set out\._backward"):
        out.backward()


def test_local_derivatives_must_match_the_children() -> None:
    x, y = Value(1.0), Value(2.0)
    with pytest.raises(ValueError, match="2 children and 1 local derivatives: pass one"):
        Value(3.0, (x, y), "f", _local=(1.0,))
    with pytest.raises(TypeError, match="children of a Value must be Values"):
        Value(3.0, (x, 2.0), "f", _local=(1.0, 1.0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        Value(3.0, (x,), "f", _local=("one",))  # type: ignore[arg-type]
    assert Value(3.0, (x,), "f", _local=[2]).__class__ is Value


# ---- gradients: closed forms, central differences, random graphs ----

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
    numerics = [central_difference(lambda point: case.value(*point), args, i) for i in range(len(args))]
    for i, (x, analytic, numeric) in enumerate(zip(xs, case.grad(*args), numerics)):
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


# ---- errors and extremes ----

@pytest.mark.parametrize("data", ["x", None, [1.0], True, 1 + 2j], ids=["str", "None", "list", "bool", "complex"])
def test_value_of_a_non_number_is_a_type_error_naming_the_type(data: object) -> None:
    with pytest.raises(TypeError, match=type(data).__name__):
        Value(data)  # type: ignore[arg-type]


@pytest.mark.parametrize("spell", [
    lambda a, o: a + o, lambda a, o: o + a, lambda a, o: a - o, lambda a, o: o - a,
    lambda a, o: a * o, lambda a, o: o * a, lambda a, o: a / o, lambda a, o: o / a,
    lambda a, o: a**o, lambda a, o: o**a,
], ids=["a+o", "o+a", "a-o", "o-a", "a*o", "o*a", "a/o", "o/a", "a**o", "o**a"])
@pytest.mark.parametrize("other", ["2", None, [2.0], object()], ids=["str", "None", "list", "object"])
def test_an_operand_that_is_not_a_number_is_a_type_error(spell, other: object) -> None:
    with pytest.raises(TypeError):
        spell(Value(2.0), other)


@pytest.mark.parametrize("x", [0.0, -2.5])
def test_log_outside_its_domain_says_log_and_the_value(x: float) -> None:
    with pytest.raises(ValueError, match=rf"log.*{x}"):
        Value(x).log()


@pytest.mark.parametrize("spell", [
    lambda: Value(-8.0) ** (1 / 3),
    lambda: Value(-8.0) ** Value(0.5),
    lambda: (-8.0) ** Value(0.5),
], ids=["number exponent", "Value exponent", "reflected"])
def test_negative_base_with_a_non_integer_exponent_is_a_value_error(spell) -> None:
    with pytest.raises(ValueError, match="-8"):
        spell()


def test_negative_base_with_an_integer_exponent_is_fine() -> None:
    x = Value(-2.0)
    y = x**3
    y.backward()
    assert (y.data, x.grad) == (-8.0, 12.0)
    assert (Value(-2.0) ** Value(2.0)).data == 4.0


@pytest.mark.parametrize("spell", [
    lambda: Value(1.0) / 0,
    lambda: Value(1.0) / Value(0.0),
    lambda: 1 / Value(0.0),
    lambda: Value(0.0) ** -1,
], ids=["a/0", "a/Value(0)", "1/Value(0)", "0**-1"])
def test_division_by_zero_is_a_zero_division_error(spell) -> None:
    with pytest.raises(ZeroDivisionError):
        spell()


def test_exp_overflow_is_an_overflow_error_giving_the_value() -> None:
    with pytest.raises(OverflowError, match=r"exp\(1000"):
        Value(1000.0).exp()
    with pytest.raises(OverflowError, match="10"):
        Value(10.0) ** 400


@pytest.mark.parametrize("x", [1000.0, -1000.0])
@pytest.mark.parametrize("op", ["tanh", "sigmoid"])
def test_tanh_and_sigmoid_stay_finite_at_the_extremes(op: str, x: float) -> None:
    v = Value(x)
    out = getattr(v, op)()
    out.backward()
    expected = {("tanh", 1000.0): 1.0, ("tanh", -1000.0): -1.0,
                ("sigmoid", 1000.0): 1.0, ("sigmoid", -1000.0): 0.0}[op, x]
    assert out.data == expected
    assert math.isfinite(v.grad) and v.grad == 0.0


# ---- what mutation testing found unguarded (benchmarks/mutation.py) ----

@pytest.mark.parametrize(("build", "op"), [
    (lambda a, b: a + b, "+"), (lambda a, b: a - b, "-"), (lambda a, b: a * b, "*"), (lambda a, b: a / b, "/"),
    (lambda a, b: Value(math.inf) / Value(0.0), "/"), (lambda a, b: a**2, "**2"), (lambda a, b: a**b, "**"),
    (lambda a, b: -a, "neg"), (lambda a, b: a.exp(), "exp"), (lambda a, b: a.log(), "log"),
    (lambda a, b: Value(math.nan).log(), "log"), (lambda a, b: a.tanh(), "tanh"), (lambda a, b: a.sigmoid(), "sigmoid"),
    (lambda a, b: a.relu(), "ReLU"), (lambda a, b: (-a).relu(), "ReLU"), (lambda a, b: Value.sum([a, b]), "sum"),
    (lambda a, b: Value.dot([a], [b], a), "dot"),
], ids=["+", "-", "*", "/", "/ of inf by 0", "**2", "**", "neg", "exp", "log", "log of nan", "tanh", "sigmoid",
        "relu", "relu of a negative", "sum", "dot"])
def test_every_operation_names_its_node(build: Callable[[Value, Value], Value], op: str) -> None:
    """The name a diagram shows, on every branch of every operation."""
    assert build(Value(2.0), Value(3.0))._op == op


@pytest.mark.parametrize(("op", "x", "y", "expected"), [
    # value, d/dx, d/dy: what PyTorch's float64 gives (test_torch.py checks the same against torch itself)
    ("a / b", math.nan, 0.0, (math.nan, math.inf, math.nan)),
    ("a / b", math.inf, 0.0, (math.inf, math.inf, -math.inf)),
    ("a / b", math.inf, -0.0, (-math.inf, -math.inf, -math.inf)),
    ("a / b", 1.0, math.inf, (0.0, 0.0, -0.0)),
    ("a ** b", 0.0, 0.0, (1.0, 0.0, 0.0)),
    ("a ** b", 0.0, 0.5, (0.0, math.inf, 0.0)),
    ("a ** b", 0.0, -math.inf, (math.inf, -math.inf, -math.inf)),
    ("a ** b", -2.0, 2.0, (4.0, -4.0, math.nan)),
    ("a ** b", math.inf, 0.0, (1.0, 0.0, math.inf)),
    ("log", -math.inf, 1.0, (math.nan, -0.0, 0.0)),
    ("log", math.nan, 1.0, (math.nan, math.nan, 0.0)),
])
def test_special_inputs_give_pytorchs_float64_numbers(op: str, x: float, y: float,
                                                       expected: tuple[float, float, float]) -> None:
    f, _ = OPS[op]
    a, b = Value(x), Value(y)
    out = f(a, b)
    out.backward()
    # a gradient starts at +0.0 here, so a -0.0 contribution leaves it +0.0: signs of zero are not compared
    assert all(map(_same, (out.data, a.grad, b.grad), expected)), ((out.data, a.grad, b.grad), expected)


def test_a_value_start_of_sum_is_its_first_child() -> None:
    a, b, s = Value(1.0), Value(2.0), Value(3.0)
    assert Value.sum([a, b], start=s)._prev == (s, a, b)


def test_engine_errors_say_exactly_what_is_wrong() -> None:
    with pytest.raises(ValueError) as raised:
        Value.dot([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0], Value(0.0))
    assert str(raised.value) == "dot product of 2 weights with 3 inputs"
    with pytest.raises(OverflowError) as raised:
        Value(1e200) * Value(-1e200)
    assert str(raised.value) == "* of 1e+200, -1e+200: the result is too large for a float"
    with pytest.raises(ValueError) as raised:
        Value(2.0, (Value(1.0),), "sin").backward()
    assert str(raised.value) == ("Value(2.0, op 'sin') has children but no local derivatives: pass "
                                 "_local=(d(out)/d(child), ...) to Value(), or set out._backward to a closure")
