//! The APIs the linker recognises, by resolved callee (`pandas.read_csv`)
//! or, for methods on local values, by method name (`df.to_parquet`).

use crate::facts::{CallArgs, Value};

/// Where an argument is: its position, or one of its keyword names.
#[derive(Debug, Clone, Copy)]
pub(super) struct Arg {
    pub pos: usize,
    pub names: &'static [&'static str],
}

impl Arg {
    /// The argument's value in a call: by keyword first, else by position.
    pub fn of(self, call: &CallArgs) -> Option<&Value> {
        call.kwargs
            .iter()
            .find(|(k, _)| self.names.contains(&k.as_str()))
            .map(|(_, v)| v)
            .or_else(|| call.args.get(self.pos))
    }
}

const PATH_NAMES: &[&str] = &[
    "path",
    "filepath_or_buffer",
    "path_or_buf",
    "source",
    "file",
    "f",
    "fname",
    "filename",
    "io",
    "uri",
    "excel_writer",
];
const PATH0: Arg = Arg {
    pos: 0,
    names: PATH_NAMES,
};
const PATH1: Arg = Arg {
    pos: 1,
    names: PATH_NAMES,
};
const OBJECT0: Arg = Arg {
    pos: 0,
    names: &["obj", "value", "arr"],
};
const OBJECT1: Arg = Arg {
    pos: 1,
    names: &["arr", "X"],
};
const QUERY: Arg = Arg {
    pos: 0,
    names: &["sql", "query"],
};
const TABLE: Arg = Arg {
    pos: 0,
    names: &["table_name", "name", "tableName"],
};

/// What a call does, for lineage.
#[derive(Debug, Clone, Copy)]
pub(super) enum Api {
    /// Reads the file at `path`.
    Read {
        path: Arg,
    },
    /// `open(path, mode)`: a read, or a write for modes `w`, `a`, `x`.
    Open,
    /// Writes `object` (the receiver when `None`) to the file at `path`.
    Write {
        path: Arg,
        object: Option<Arg>,
    },
    /// Runs an SQL query.
    Query,
    /// Reads a table by name.
    ReadTable,
    /// Writes the receiver to a table.
    WriteTable,
    /// Builds a model (an estimator, a network).
    Estimator,
    /// Builds a transformer that is not a model (a scaler, an encoder).
    Transformer,
    /// `Pipeline(steps)` (or `make_pipeline(*estimators)` when `true`).
    Pipeline {
        make: bool,
    },
    /// `ColumnTransformer(transformers)` (or `make_column_transformer`).
    ColumnTransformer {
        make: bool,
    },
    Fit,
    KedroNode,
    KedroPipeline,
    AirflowChain,
    /// `a.set_downstream(b)` (`true`) or `a.set_upstream(b)`.
    SetStream {
        down: bool,
    },
    MetaflowNext,
    /// `Parameter("name", …)`: a flow parameter, a config.
    MetaflowParameter,
    FeastEntity,
    FeastSource,
    FeastView,
    FeastService,
    FeastField,
    /// `store.get_historical_features(features=[...])`.
    FeastRead,
    HydraInstantiate,
    /// `df.assign(x=…)`, `df.with_columns(x=…)`: keyword names are columns.
    AssignColumns,
    /// `df.withColumn("x", …)`.
    WithColumn,
}

/// Module-level readers: package and function names.
const READERS: &[(&str, &[&str])] = &[
    (
        "pandas",
        &[
            "read_csv",
            "read_parquet",
            "read_json",
            "read_excel",
            "read_feather",
            "read_pickle",
            "read_table",
            "read_orc",
            "read_hdf",
            "read_fwf",
            "read_xml",
            "read_stata",
            "read_sas",
            "read_spss",
        ],
    ),
    (
        "polars",
        &[
            "read_csv",
            "read_parquet",
            "read_json",
            "read_ndjson",
            "read_ipc",
            "read_excel",
            "read_delta",
            "read_avro",
            "scan_csv",
            "scan_parquet",
            "scan_ndjson",
            "scan_ipc",
            "scan_delta",
        ],
    ),
    ("dask", &["read_csv", "read_parquet", "read_json"]),
    ("numpy", &["load", "loadtxt", "genfromtxt", "fromfile"]),
    ("torch", &["load"]),
    ("joblib", &["load"]),
    ("pickle", &["load"]),
    ("pyarrow", &["read_table"]),
];

/// Module-level writers: package, function names, path and object.
const WRITERS: &[(&str, &[&str], Arg, Arg)] = &[
    (
        "numpy",
        &["save", "savez", "savez_compressed", "savetxt"],
        PATH0,
        OBJECT1,
    ),
    ("torch", &["save"], PATH1, OBJECT0),
    ("joblib", &["dump"], PATH1, OBJECT0),
    ("pickle", &["dump"], PATH1, OBJECT0),
];

/// Writer methods of data frames and models; the receiver is written.
const WRITE_METHODS: &[&str] = &[
    "to_csv",
    "to_parquet",
    "to_json",
    "to_excel",
    "to_feather",
    "to_pickle",
    "to_hdf",
    "to_orc",
    "to_xml",
    "write_csv",
    "write_parquet",
    "write_json",
    "write_ndjson",
    "write_ipc",
    "write_excel",
    "write_delta",
    "write_avro",
    "save_model",
    "save",
    "save_pretrained",
];

/// Spark `read`/`write` formats.
const SPARK_FORMATS: &[&str] = &[
    "csv", "parquet", "json", "orc", "text", "load", "save", "avro", "delta",
];

/// scikit-learn subpackages whose classes are models.
const SKLEARN_MODELS: &[&str] = &[
    "ensemble",
    "linear_model",
    "tree",
    "svm",
    "neighbors",
    "naive_bayes",
    "neural_network",
    "gaussian_process",
    "discriminant_analysis",
    "cluster",
    "kernel_ridge",
    "isotonic",
    "model_selection",
    "dummy",
];

/// scikit-learn subpackages whose classes transform features.
const SKLEARN_TRANSFORMERS: &[&str] = &[
    "preprocessing",
    "impute",
    "feature_extraction",
    "feature_selection",
    "decomposition",
    "compose",
];

/// Model constructors outside scikit-learn: package and class-name prefix.
const MODEL_PREFIXES: &[(&str, &str)] = &[
    ("xgboost", "XGB"),
    ("lightgbm", "LGBM"),
    ("catboost", "CatBoost"),
    ("keras", "Sequential"),
    ("tensorflow", "Sequential"),
];

/// What `callee` (with `receiver` for a method on a local value) does.
pub(super) fn classify(callee: &str, receiver: Option<&str>) -> Option<Api> {
    let parts: Vec<&str> = callee.split('.').collect();
    let (root, last) = (parts[0], *parts.last().unwrap_or(&""));
    if receiver.is_some() {
        return method(&parts, receiver, last);
    }
    if let Some((_, _, path, object)) = WRITERS
        .iter()
        .find(|(p, names, ..)| *p == root && names.contains(&last))
    {
        return Some(Api::Write {
            path: *path,
            object: Some(*object),
        });
    }
    if READERS
        .iter()
        .any(|(p, names)| *p == root && names.contains(&last))
    {
        return Some(Api::Read { path: PATH0 });
    }
    let class = last.starts_with(|c: char| c.is_ascii_uppercase());
    let api = match (root, last) {
        ("open", "open") => Api::Open,
        ("pandas", "read_sql" | "read_sql_query") | ("polars", "read_database") => Api::Query,
        ("pandas", "read_sql_table") => Api::ReadTable,
        ("sklearn", "Pipeline") => Api::Pipeline { make: false },
        ("sklearn", "make_pipeline") => Api::Pipeline { make: true },
        ("sklearn", "ColumnTransformer") => Api::ColumnTransformer { make: false },
        ("sklearn", "make_column_transformer") => Api::ColumnTransformer { make: true },
        ("sklearn", _) if class && parts.get(1).is_some_and(|m| SKLEARN_MODELS.contains(m)) => {
            Api::Estimator
        }
        ("sklearn", _)
            if class
                && parts
                    .get(1)
                    .is_some_and(|m| SKLEARN_TRANSFORMERS.contains(m)) =>
        {
            Api::Transformer
        }
        ("kedro", "node" | "Node") => Api::KedroNode,
        ("kedro", "pipeline" | "Pipeline") => Api::KedroPipeline,
        ("airflow", "chain") => Api::AirflowChain,
        ("metaflow", "Parameter") => Api::MetaflowParameter,
        ("feast", "Entity") => Api::FeastEntity,
        ("feast", "FeatureView" | "BatchFeatureView" | "StreamFeatureView") => Api::FeastView,
        ("feast", "FeatureService") => Api::FeastService,
        ("feast", "Field") => Api::FeastField,
        ("feast", _) if last.ends_with("Source") => Api::FeastSource,
        ("hydra", "instantiate" | "call") => Api::HydraInstantiate,
        ("transformers", "from_pretrained") if callee.contains("Model") => Api::Estimator,
        _ if MODEL_PREFIXES
            .iter()
            .any(|(p, prefix)| *p == root && last.starts_with(prefix)) =>
        {
            Api::Estimator
        }
        _ => return None,
    };
    Some(api)
}

/// Methods on local values (`df.to_csv`, `spark.read.parquet`,
/// `model.fit`, `self.next`).
fn method(parts: &[&str], receiver: Option<&str>, last: &str) -> Option<Api> {
    let inner = &parts[1..parts.len().saturating_sub(1)];
    let api = match last {
        _ if inner.iter().any(|p| *p == "read" || *p == "readStream") => match last {
            "table" => Api::ReadTable,
            _ if SPARK_FORMATS.contains(&last) => Api::Read { path: PATH0 },
            _ => return None,
        },
        _ if inner.iter().any(|p| *p == "write" || *p == "writeStream") => match last {
            "saveAsTable" | "insertInto" => Api::WriteTable,
            _ if SPARK_FORMATS.contains(&last) => Api::Write {
                path: PATH0,
                object: None,
            },
            _ => return None,
        },
        "table" if receiver == Some("spark") => Api::ReadTable,
        "sql" if receiver == Some("spark") => Api::Query,
        "to_sql" => Api::WriteTable,
        _ if WRITE_METHODS.contains(&last) => Api::Write {
            path: PATH0,
            object: None,
        },
        "fit" | "partial_fit" => Api::Fit,
        "set_downstream" => Api::SetStream { down: true },
        "set_upstream" => Api::SetStream { down: false },
        "next" if receiver == Some("self") => Api::MetaflowNext,
        "get_historical_features" | "get_online_features" => Api::FeastRead,
        "assign" | "with_columns" => Api::AssignColumns,
        "withColumn" => Api::WithColumn,
        _ => return None,
    };
    Some(api)
}

/// The path and whether `open(path, mode)` writes.
pub(super) fn open(call: &CallArgs) -> (Option<&Value>, bool) {
    let mode = Arg {
        pos: 1,
        names: &["mode"],
    }
    .of(call);
    let write = matches!(mode, Some(Value::Str(m)) if m.contains(['w', 'a', 'x']));
    (PATH0.of(call), write)
}

/// The SQL text argument of a query call.
pub(super) fn query(call: &CallArgs) -> Option<&Value> {
    QUERY.of(call)
}

/// The table-name argument of a table read or write.
pub(super) fn table(call: &CallArgs) -> Option<&Value> {
    TABLE.of(call)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callees_are_classified() {
        assert!(matches!(
            classify("pandas.read_csv", None),
            Some(Api::Read { .. })
        ));
        assert!(matches!(
            classify("joblib.dump", None),
            Some(Api::Write { .. })
        ));
        assert!(matches!(
            classify("spark.read.format.load", Some("spark")),
            Some(Api::Read { .. })
        ));
        assert!(matches!(
            classify("df.to_parquet", Some("df")),
            Some(Api::Write { .. })
        ));
        assert!(matches!(
            classify("sklearn.ensemble.RandomForestClassifier", None),
            Some(Api::Estimator)
        ));
        assert!(matches!(
            classify("sklearn.preprocessing.StandardScaler", None),
            Some(Api::Transformer)
        ));
        assert!(classify("os.path.join", None).is_none());
    }
}
