from metaflow import FlowSpec, Parameter, step


class ChurnFlow(FlowSpec):
    alpha = Parameter("alpha", default=0.5)

    @step
    def start(self):
        self.rows = [1, 2, 3]
        self.next(self.featurize, self.validate)

    @step
    def featurize(self):
        self.next(self.join)

    @step
    def validate(self):
        self.next(self.join)

    @step
    def join(self, inputs):
        self.next(self.end)

    @step
    def end(self):
        pass


if __name__ == "__main__":
    ChurnFlow()
