"""A neural-net library on `Value`: Module, Neuron, Layer, MLP (the API of micrograd 0.1.0, and more)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence, Sized
from typing import TYPE_CHECKING, SupportsIndex

from micrograd._checks import integer
from micrograd.engine import Operand, Value

ACTIVATIONS: dict[str, Callable[[Value], Value]] = {"relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid,
                                                    "linear": lambda v: v}

Inputs = Sequence[Operand] | Operand


def _check_activation(name: str) -> str:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(map(repr, ACTIVATIONS))}")
    return name


class Module:
    """Anything with parameters: they can be listed and their gradients reset."""

    if TYPE_CHECKING:  # for type checkers only: a bare Module stays uncallable, as in 0.1.0
        def __call__(self, x: Inputs) -> Value | list[Value]:
            """The module's output for one input: a Value, or a list of them for several outputs."""

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0, as `backward()` adds to it: $\\partial L / \\partial p \\leftarrow 0$."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self) -> list[Value]:
        """The trainable Values.

        Returns:
            The parameters in a fixed order (layer by layer, each neuron's weights then its bias); none here.
        """
        return []


class Neuron(Module):
    """One neuron, $f(x) = \\phi(b + \\sum_{i=1}^{n} w_i x_i)$, with weights uniform in $(-1, 1)$ and $b = 0$.

    Args:
        nin: The number of inputs $n$ (an int or numpy integer).
        nonlin: $\\phi$ is ReLU, $\\max(0, z)$, if true, else the identity: micrograd 0.1.0's switch.
        activation: $\\phi$ by name, which overrides `nonlin`: "relu", "tanh", "sigmoid" or "linear".
        rng: Where the weights come from; by default the `random` module, so `random.seed()` works as in 0.1.0.

    Raises:
        ValueError: `nin` is not a positive integer, or `activation` is not one of the four.
    """

    def __init__(self, nin: SupportsIndex, nonlin: bool = True, *, activation: str | None = None,
                 rng: random.Random | None = None) -> None:
        uniform = rng.uniform if rng else random.uniform
        self.w = [Value(uniform(-1, 1)) for _ in range(integer("nin", nin, 1))]
        self.b = Value(0)
        self.activation = _check_activation(activation or ("relu" if nonlin else "linear"))
        self.nonlin = self.activation != "linear"

    def __call__(self, x: Inputs) -> Value:
        """$\\phi(b + w \\cdot x)$ for $n$ inputs `x`: Values or numbers (numpy's too), a list or a 1-D array.

        A lone Value or number is one input, as a one-neuron layer outputs (0.1.0 fails there, its issue #13).

        Raises:
            ValueError: the number of inputs is not $n$.
        """
        if type(x) is not list and not isinstance(x, Sized):  # list first: the usual input, and the quick check
            x = [x]
        if len(x) != len(self.w):
            batch = "; a model reads one sample at a time, not a 2-D array" * (len(x) > 0 and isinstance(x[0], Sized))
            raise ValueError(f"{self!r} takes {len(self.w)} inputs, got {len(x)}{batch}")
        return ACTIVATIONS[self.activation](Value.dot(self.w, x, self.b))

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        kind = "ReLU" if self.activation == "relu" else self.activation.capitalize()
        return f"{kind}Neuron({len(self.w)})"


class Layer(Module):
    """`nout` neurons that all read the same inputs: $f(x)_j = \\phi(b_j + w_j \\cdot x)$.

    Args:
        nin: The number of inputs each neuron reads.
        nout: The number of neurons, hence of outputs.
        nonlin: Passed to each `Neuron`.
        activation: Passed to each `Neuron`.
        rng: Passed to each `Neuron`.

    Raises:
        ValueError: a size is not a positive integer, or `activation` is unknown.
    """

    def __init__(self, nin: SupportsIndex, nout: SupportsIndex, nonlin: bool = True, *,
                 activation: str | None = None, rng: random.Random | None = None) -> None:
        self.neurons = [Neuron(nin, nonlin, activation=activation, rng=rng) for _ in range(integer("nout", nout, 1))]

    def __call__(self, x: Inputs) -> Value | list[Value]:
        """Every neuron's output: a list, or a bare Value for a layer of one neuron, as in 0.1.0."""
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron, $f = f_L \\circ \\dots \\circ f_1$: layer $k$ has `nouts[k]` neurons.

    Args:
        nin: The number of inputs.
        nouts: The layer sizes, a list or a 1-D array of positive integers; the last is the number of outputs.
        activation: $\\phi$ of every layer but the last (see `Neuron`).
        output_activation: $\\phi$ of the last layer, the only layer when `nouts` has one size.
        rng: Where every weight comes from (see `Neuron`).

    Raises:
        ValueError: `nouts` is empty or not a sequence, a size is not a positive integer, or an activation is unknown.
    """

    def __init__(self, nin: SupportsIndex, nouts: Sequence[SupportsIndex], *, activation: str = "relu",
                 output_activation: str = "linear", rng: random.Random | None = None) -> None:
        try:
            sizes = [integer("nin", nin, 1), *(integer("nout", n, 1) for n in nouts)]
        except TypeError:  # not iterable: MLP(2, 3) for MLP(2, [3])
            sizes = []
        if len(sizes) < 2:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        self.layers = [Layer(sizes[i], sizes[i + 1], rng=rng,
                             activation=output_activation if i == len(sizes) - 2 else activation)
                       for i in range(len(sizes) - 1)]

    def __call__(self, x: Inputs) -> Value | list[Value]:
        """The last layer's output for one input `x` (as `Neuron` takes it): a Value, or a list for several."""
        out = self.layers[0](x)  # there is always a layer: nouts is not empty
        for layer in self.layers[1:]:
            out = layer(out)
        return out

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
