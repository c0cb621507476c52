from datetime import timedelta

from feast import FeatureService, FeatureView, Field, FileSource
from feast.types import Float32, Int64

from entities import driver

driver_stats_source = FileSource(
    name="driver_stats_source",
    path="data/driver_stats.parquet",
    timestamp_field="event_timestamp",
)

driver_stats = FeatureView(
    name="driver_hourly_stats",
    entities=[driver],
    ttl=timedelta(days=1),
    schema=[
        Field(name="conv_rate", dtype=Float32),
        Field(name="trips_today", dtype=Int64),
    ],
    source=driver_stats_source,
)

ranking_v1 = FeatureService(name="driver_ranking_v1", features=[driver_stats[["conv_rate"]]])
ranking_v2 = FeatureService(name="driver_ranking_v2", features=[driver_stats])
