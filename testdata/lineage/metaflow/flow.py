import pandas as pd
from metaflow import FlowSpec, Parameter, step
from sklearn.ensemble import GradientBoostingClassifier


class ChurnFlow(FlowSpec):
    max_depth = Parameter("max_depth", default=3)

    @step
    def start(self):
        self.orders = pd.read_csv("data/orders.csv")
        self.next(self.featurize)

    @step
    def featurize(self):
        self.orders["revenue"] = self.orders["price"] * self.orders["qty"]
        self.next(self.train_a, self.train_b)

    @step
    def train_a(self):
        self.model = GradientBoostingClassifier(max_depth=self.max_depth)
        self.model.fit(self.orders[["revenue"]], self.orders["churned"])
        self.next(self.join)

    @step
    def train_b(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        print("done")


if __name__ == "__main__":
    ChurnFlow()
