import pandas as pd
from feast import FeatureStore
from sklearn.linear_model import LinearRegression

store = FeatureStore(repo_path=".")


def main():
    entity_df = pd.read_parquet("data/driver_orders.parquet")
    job = store.get_historical_features(
        entity_df=entity_df,
        features=["driver_hourly_stats:conv_rate", "driver_hourly_stats:trips_today"],
    )
    training = job.to_df()
    model = LinearRegression()
    model.fit(training[["conv_rate", "trips_today"]], training["label"])
