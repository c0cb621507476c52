from datetime import timedelta

from feast import Entity, FeatureService, FeatureView, Field, FileSource
from feast.types import Float32, Int64

driver = Entity(name="driver", join_keys=["driver_id"])

driver_stats_source = FileSource(path="data/driver_stats.parquet", timestamp_field="event_ts")

driver_stats = FeatureView(
    name="driver_stats",
    entities=[driver],
    ttl=timedelta(days=1),
    schema=[Field(name="trips_today", dtype=Int64), Field(name="rating", dtype=Float32)],
    source=driver_stats_source,
)

ranking_v2 = FeatureService(name="ranking_v2", features=[driver_stats[["trips_today"]]])
