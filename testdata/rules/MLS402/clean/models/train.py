from torch import nn
from sklearn.ensemble import RandomForestClassifier


class Net(nn.Module):
    def forward(self, x):
        return x


class DeepNet(Net):
    def forward(self, x):
        return x * 2


def fit(X, y):
    forest = RandomForestClassifier(n_estimators=100)
    forest.fit(X, y)
    return forest
