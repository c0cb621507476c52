"""The training pipeline."""
from kedro.pipeline import node, pipeline

from .nodes import build_features, clean, split, train


def create_pipeline(**kwargs):
    return pipeline(
        [
            node(clean, inputs="raw_orders", outputs="orders", name="clean"),
            node(build_features, inputs=["orders", "params:features"], outputs="order_features"),
            node(split, "order_features", ["X", "y"]),
            node(
                train,
                inputs={"X": "X", "y": "y", "params": "params:model"},
                outputs="model",
                name="train_model",
            ),
        ]
    )
