"""The Value class: what it stores, the graph it records, and how backward() fills in gradients."""

from __future__ import annotations

import math
import sys
from fractions import Fraction

import pytest

from micrograd import Value


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
