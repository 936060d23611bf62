"""micrograd: a scalar reverse-mode autograd engine and a small neural-net library on it."""

from micrograd.data import lecture_samples, make_moons
from micrograd.draw import draw_dot, render_svg
from micrograd.engine import Value
from micrograd.gradcheck import assert_gradients_close, check_gradients
from micrograd.losses import accuracy, l2, max_margin, mse
from micrograd.nn import MLP, Layer, Module, Neuron
from micrograd.optim import SGD
from micrograd.train import History, fit

__all__ = [
    "Value", "Module", "Neuron", "Layer", "MLP",
    "draw_dot", "render_svg",
    "mse", "max_margin", "l2", "accuracy", "SGD", "fit", "History",
    "make_moons", "lecture_samples",
    "check_gradients", "assert_gradients_close",
]
__version__ = "1.0.0"
