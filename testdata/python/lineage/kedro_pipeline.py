from kedro.pipeline import Pipeline, node, pipeline

from .nodes import build_features, clean, train


def create_pipeline(**kwargs) -> Pipeline:
    return pipeline(
        [
            node(clean, inputs="raw_orders", outputs="orders", name="clean"),
            node(build_features, inputs=["orders", "params:features"], outputs="order_features"),
            node(func=train, inputs={"X": "order_features", "cfg": "params:model"}, outputs="model"),
        ],
        namespace="churn",
    )
