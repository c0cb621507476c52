"""The network."""


class Net:
    def __init__(self, hidden, dropout):
        self.hidden = hidden
        self.dropout = dropout
