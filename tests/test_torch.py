"""PyTorch (float64) as an independent reference: every operation, random graphs, and
micrograd 0.1.0's two tests. Skipped where torch is not installed; CI installs torch==2.13.0."""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from micrograd import MLP, Value
from micrograd.check import readme_expression, sanity_expression
from op_table import CASE_IDS, OP_CASES, OPS, OpCase
from reference_engine import README_NUMBERS
from strategies import Graph, Reject, ValueBackend, graphs

torch = pytest.importorskip("torch", reason="PyTorch is not installed; the cross-check runs where it is "
                                            "(CI installs torch==2.13.0)")


# Two float64 libraries may round the same formula differently in the last places (libm's tanh, say), so
# values agree to 8 units in the last place relative; derivatives that subtract from 1 (1 - tanh^2 x,
# s (1 - s)) carry an error of a few ulps *of 1*, hence the same 8 ulps of 1 as an absolute allowance.
ULPS = 8 * sys.float_info.epsilon


def leaves(*xs: float) -> list[Any]:
    """Float64 tensors that record gradients, as torch's counterpart of fresh Values."""
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]


class TorchBackend(ValueBackend):
    """Tensors share the Value method names (exp, log, ...); only sum and dot are spelled differently."""

    def sum(self, xs: Sequence[Any]) -> Any:
        return torch.stack(list(xs)).sum()

    def dot(self, w: Sequence[Any], x: Sequence[Any], b: Any) -> Any:
        return b + torch.dot(torch.stack(list(w)), torch.stack(list(x)))


@pytest.mark.parametrize("case", OP_CASES, ids=CASE_IDS)
@settings(max_examples=25, deadline=None, database=None)
@given(data=st.data())
def test_operation_matches_torch(case: OpCase, data: st.DataObject) -> None:
    args = data.draw(case.domain, label="inputs")
    xs, ts = [Value(x) for x in args], leaves(*args)
    out, expected = case.f(*xs), case.tensor_f(*ts)
    out.backward()
    expected.backward()
    assert _agree(out.data, expected.item()), (out.data, expected.item())
    for i, (x, t) in enumerate(zip(xs, ts)):
        assert _agree(x.grad, t.grad.item()), f"d/d(arg {i}): {x.grad} vs {t.grad.item()}"


@pytest.mark.parametrize("x", [1000.0, -1000.0, 0.0])
@pytest.mark.parametrize("op", ["tanh", "sigmoid"])
def test_saturating_functions_match_torch_at_the_extremes(op: str, x: float) -> None:
    v, (t,) = Value(x), leaves(x)
    out, expected = getattr(v, op)(), getattr(t, op)()
    out.backward()
    expected.backward()
    assert (out.data, v.grad) == (expected.item(), t.grad.item())


def test_negative_base_with_a_value_exponent_has_no_real_exponent_gradient_as_in_torch() -> None:
    a, k = Value(-2.0), Value(2.0)
    ta, tk = leaves(-2.0, 2.0)
    (a**k).backward()
    (ta**tk).backward()
    assert a.grad == ta.grad.item() == -4.0
    assert math.isnan(k.grad) and math.isnan(tk.grad.item())


@settings(max_examples=100, deadline=None, database=None)
@given(graph=graphs())
def test_random_graphs_match_torch(graph: Graph) -> None:
    try:
        graph.run_floats(graph.inputs)  # skip graphs that overflow
    except Reject:
        reject()
    xs, ts = [Value(x) for x in graph.inputs], leaves(*graph.inputs)
    out, expected = graph.run(xs, ValueBackend()), graph.run(ts, TorchBackend())
    out.backward()
    expected.backward()
    assert out.data == pytest.approx(expected.item(), rel=1e-9, abs=1e-12), str(graph)
    for i, (x, t) in enumerate(zip(xs, ts)):
        # an input the output does not depend on gets no tensor gradient at all; micrograd says 0
        reference = 0.0 if t.grad is None else t.grad.item()
        assert x.grad == pytest.approx(reference, rel=1e-9, abs=1e-9), f"d/dx{i} of {graph}"


def test_readme_example_matches_torch() -> None:
    a, b = Value(-4.0), Value(2.0)
    ta, tb = leaves(-4.0, 2.0)
    g, tg = readme_expression(a, b), readme_expression(ta, tb)
    g.backward()
    tg.backward()
    assert g.data == pytest.approx(tg.item(), abs=1e-6)
    assert (a.grad, b.grad) == pytest.approx((ta.grad.item(), tb.grad.item()), abs=1e-6)
    assert [round(v, 4) for v in (tg.item(), ta.grad.item(), tb.grad.item())] == list(README_NUMBERS.values())


def test_sanity_check_matches_torch() -> None:
    x, (tx,) = Value(-4.0), leaves(-4.0)
    y, ty = sanity_expression(x), sanity_expression(tx)
    y.backward()
    ty.backward()
    assert (y.data, x.grad) == (ty.item(), tx.grad.item()) == (-20.0, 46.0)


def test_mlp_loss_gradients_match_torch() -> None:
    """The lecture's network and samples: every parameter's gradient as torch computes it."""
    import random

    from micrograd import lecture_samples, mse

    model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", rng=random.Random(0))
    xs, ys = lecture_samples()
    loss = mse([model(x) for x in xs], ys)
    loss.backward()

    params = leaves(*(p.data for p in model.parameters()))
    it = iter(params)
    layers = [[(torch.stack([next(it) for _ in n.w]), next(it)) for n in layer.neurons] for layer in model.layers]

    def forward(x: list[float]) -> Any:
        out = torch.tensor(x, dtype=torch.float64)
        for layer in layers:
            out = torch.stack([(b + w @ out).tanh() for w, b in layer])
        return out[0]

    expected = torch.stack([(forward(x) - y) ** 2 for x, y in zip(xs, ys)]).mean()
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-12)
    assert [p.grad for p in model.parameters()] == pytest.approx([t.grad.item() for t in params], rel=1e-9, abs=1e-12)


# torch computes x ** 0.5 with sqrt, whose answers at -0.0 and -inf differ from its own pow (-0.0 and NaN,
# where pow gives 0.0 and inf); the engine follows pow, so it is compared with pow
TORCH_SPELLING = {"sum": lambda a, b: torch.stack([a, b, a]).sum(), "dot": lambda a, b: b + a * b,
                  "a ** 0.5": lambda a, b: a ** torch.tensor(0.5, dtype=torch.float64)}
SPECIAL_INPUTS = [math.nan, math.inf, -math.inf, 0.0, -0.0, 2.0, -2.0, 0.5]


def _agree(ours: float, theirs: float) -> bool:
    """Both NaN, the same infinity, or finite and within ULPS (the sign of a zero aside: relu(-0.0) is -0.0
    in torch, 0.0 here)."""
    if math.isnan(ours) or math.isnan(theirs) or math.isinf(ours) or math.isinf(theirs):
        return ours == theirs or (math.isnan(ours) and math.isnan(theirs))
    return math.isclose(ours, theirs, rel_tol=ULPS, abs_tol=ULPS)


@pytest.mark.parametrize("op", OPS)
def test_nan_and_infinity_behave_as_in_torch_or_raise_a_named_error_for_finite_inputs(op: str) -> None:
    """The one rule: a NaN or infinite input gives torch's float64 value and gradients, exactly; finite
    inputs give torch's numbers too, or a named error where torch would make a NaN or an infinity."""
    f, binary = OPS[op]
    torch_f = TORCH_SPELLING.get(op, f)
    for x, y in itertools.product(SPECIAL_INPUTS, SPECIAL_INPUTS if binary else [1.0]):
        (ta, tb), a, b = leaves(x, y), Value(x), Value(y)
        expected = torch_f(ta, tb)
        expected.backward()
        theirs = [expected.item()] + [0.0 if t.grad is None else t.grad.item() for t in (ta, tb)]
        try:
            out = f(a, b)
        except (ValueError, ZeroDivisionError, OverflowError):
            assert math.isfinite(x) and math.isfinite(y), f"{op}({x}, {y}) raised for a non-finite input"
            assert not all(map(math.isfinite, theirs[:1])), f"{op}({x}, {y}) raised where torch gives {theirs}"
            continue
        out.backward()
        ours = [out.data, a.grad, b.grad]
        assert all(map(_agree, ours, theirs)), f"{op}({x}, {y}): ours {ours}, torch {theirs}"
