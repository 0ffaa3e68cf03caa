"""convlesson: the math of convolutional networks, written to be read."""

__version__ = "0.1.0"
