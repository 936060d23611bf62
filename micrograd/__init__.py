"""micrograd: a scalar reverse-mode autograd engine and a small neural-net library on it."""

from micrograd.draw import draw_dot, render_svg
from micrograd.engine import Value
from micrograd.nn import MLP, Layer, Module, Neuron

__all__ = ["Value", "Module", "Neuron", "Layer", "MLP", "draw_dot", "render_svg"]
__version__ = "1.0.0"
