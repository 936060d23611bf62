"""A neural-net library on `Value`: Module, Neuron, Layer, MLP (the API of micrograd 0.1.0, and more)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypedDict, Unpack

from micrograd.engine import Operand, Value

ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "linear": lambda v: v,
}

Inputs = Sequence[Operand] | Value


class _Uniform(Protocol):
    """What a neuron draws its weights from: a `random.Random`, or the `random` module itself."""

    def uniform(self, a: float, b: float, /) -> float: ...


class NeuronOptions(TypedDict, total=False):
    """The keyword arguments a Layer passes on to each of its neurons."""

    nonlin: bool
    activation: str | None
    rng: random.Random | None


def _check_activation(name: str) -> str:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(map(repr, ACTIVATIONS))}")
    return name


def _check_size(name: str, n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")
    return n


class Module:
    """Anything with parameters: they can be listed and their gradients reset."""

    if TYPE_CHECKING:  # for type checkers only: a bare Module stays uncallable, as in 0.1.0
        def __call__(self, x: Inputs) -> Value | list[Value]:
            """The module's output for one input: a Value, or a list of them for several outputs."""

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0 before the next backward pass."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        """The trainable Values, in a fixed order."""
        return []


class Neuron(Module):
    """$f(x) = \\phi(w \\cdot x + b)$ with weights uniform in (-1, 1) and bias 0."""

    def __init__(self, nin: int, nonlin: bool = True, *, activation: str | None = None,
                 rng: random.Random | None = None) -> None:
        source: _Uniform = rng or random  # the module itself by default, so random.seed() works as in 0.1.0
        self.w = [Value(source.uniform(-1, 1)) for _ in range(_check_size("nin", nin))]
        self.b = Value(0)
        self.activation = _check_activation(activation or ("relu" if nonlin else "linear"))
        self.nonlin = self.activation != "linear"

    def __call__(self, x: Inputs) -> Value:
        if isinstance(x, Value):  # the output of a one-neuron layer (0.1.0 fails here, its issue #13)
            x = [x]
        if len(x) != len(self.w):
            raise ValueError(f"{self!r} takes {len(self.w)} inputs, got {len(x)}")
        return ACTIVATIONS[self.activation](Value.dot(self.w, x, self.b))

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        kind = "ReLU" if self.activation == "relu" else self.activation.capitalize()
        return f"{kind}Neuron({len(self.w)})"


class Layer(Module):
    """`nout` neurons that all read the same inputs."""

    def __init__(self, nin: int, nout: int, **kwargs: Unpack[NeuronOptions]) -> None:
        self.neurons = [Neuron(nin, **kwargs) for _ in range(_check_size("nout", nout))]

    def __call__(self, x: Inputs) -> Value | list[Value]:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out  # a bare Value for one neuron, as in 0.1.0

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: hidden layers use `activation`, the last `output_activation`."""

    def __init__(self, nin: int, nouts: Sequence[int], *, activation: str = "relu",
                 output_activation: str = "linear", rng: random.Random | None = None) -> None:
        if isinstance(nouts, int) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        sizes = [_check_size("nin", nin), *nouts]
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], rng=rng,
                             activation=output_activation if i == last else activation)
                       for i in range(len(nouts))]

    def __call__(self, x: Inputs) -> Value | list[Value]:
        out = self.layers[0](x)  # there is always a layer: nouts is not empty
        for layer in self.layers[1:]:
            out = layer(out)
        return out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
