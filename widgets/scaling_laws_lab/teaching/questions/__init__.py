"""One module per notebook (``nbNN.py``), each with a list ``QUESTIONS`` in the order asked."""
