//! Tests on the fixtures of `testdata/configs` and small inline files.

use std::time::{Duration, Instant};

use super::analyze;
use super::extract::kind_from_name;
use crate::facts::{
    ConfigDataset, ConfigFacts, ConfigKind, ConfigList, ConfigStage, ConfigTarget, ConfigValue,
    DynamicKind, DynamicPoint, FileFacts, Language, Lines, Problem,
};

fn fixture(name: &str) -> String {
    let path = format!("{}/testdata/configs/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(language: Language, name: &str) -> FileFacts {
    analyze(language, name, &fixture(name))
}

fn config(facts: &FileFacts) -> &ConfigFacts {
    facts.config.as_ref().expect("config facts")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn stage(
    name: &str,
    line: u32,
    cmd: &str,
    deps: &[&str],
    outs: &[&str],
    params: &[&str],
) -> ConfigStage {
    ConfigStage {
        name: name.to_string(),
        line,
        cmd: cmd.to_string(),
        deps: strings(deps),
        outs: strings(outs),
        params: strings(params),
    }
}

fn target(key: &str, target: &str, line: u32) -> ConfigTarget {
    ConfigTarget {
        key: key.to_string(),
        target: target.to_string(),
        line,
    }
}

fn list(key: &str, line: u32, values: &[&str]) -> ConfigList {
    ConfigList {
        key: key.to_string(),
        line,
        values: strings(values),
    }
}

fn dataset(name: &str, line: u32, r#type: &str, path: &str) -> ConfigDataset {
    ConfigDataset {
        name: name.to_string(),
        line,
        r#type: r#type.to_string(),
        path: path.to_string(),
    }
}

#[test]
fn dvc_pipeline() {
    let facts = run(Language::Yaml, "dvc.yaml");
    assert!(!facts.syntax_errors);
    assert_eq!(facts.problems, vec![]);
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::DvcPipeline);
    assert_eq!((c.documents, c.keys, c.depth), (1, 27, 7));
    assert_eq!(
        c.stages,
        vec![
            stage(
                "prepare",
                6,
                "python src/prepare.py data/raw.csv",
                &["src/prepare.py", "data/raw.csv"],
                &["data/prepared"],
                &["prepare.seed", "prepare.split"],
            ),
            stage(
                "featurize",
                17,
                "python src/featurize.py data/prepared/${item}.csv && touch data/features/${item}.done",
                &["src/featurize.py", "data/prepared"],
                &["data/features/${item}.pkl"],
                &["featurize.max_features"],
            ),
            stage(
                "train",
                30,
                "python src/train.py data/features models/model.pkl",
                &["src/train.py", "data/features"],
                &[
                    "models/model.pkl",
                    "reports/metrics.json",
                    "reports/roc.csv"
                ],
                &[
                    "train",
                    "config/model.yaml:model.depth",
                    "config/model.yaml:model.lr",
                    "config/extra.yaml",
                ],
            ),
        ]
    );
    assert!(c.params.contains(&"stages.featurize.foreach[]".to_string()));
    assert!(c.params.contains(&"vars[]".to_string()));
    assert_eq!(
        facts.lines,
        Lines {
            loc: 47,
            sloc: 43,
            comments: 1,
            blank: 3,
            single_comments: 1,
            ..Lines::default()
        }
    );
}

#[test]
fn dvc_lock() {
    let facts = run(Language::Yaml, "dvc.lock");
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::DvcLock);
    assert_eq!((c.keys, c.depth), (29, 5));
    assert_eq!(
        c.stages,
        vec![
            stage(
                "prepare",
                3,
                "python src/prepare.py data/raw.csv",
                &["data/raw.csv", "src/prepare.py"],
                &["data/prepared"],
                &["params.yaml:prepare.seed", "params.yaml:prepare.split"],
            ),
            stage(
                "train",
                22,
                "python src/train.py data/features models/model.pkl",
                &["data/features"],
                &["models/model.pkl"],
                &[],
            ),
        ]
    );
}

#[test]
fn params_file() {
    let facts = run(Language::Yaml, "params.yaml");
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::Params);
    assert_eq!((c.documents, c.keys, c.depth), (1, 11, 3));
    assert_eq!(
        c.params,
        strings(&[
            "featurize.max_features",
            "featurize.ngrams",
            "prepare.seed",
            "prepare.split",
            "train.layers[]",
            "train.min_split",
            "train.n_est",
            "train.seed",
        ])
    );
    assert!(c.stages.is_empty() && c.targets.is_empty() && c.defaults.is_empty());
    // `layers: [64, 32]` holds numbers: not a list of names.
    assert_eq!(c.lists, vec![]);
}

#[test]
fn hydra_config() {
    let facts = run(Language::Yaml, "config.yaml");
    assert_eq!(facts.problems, vec![]);
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::Hydra);
    assert_eq!((c.keys, c.depth), (22, 4));
    assert_eq!(
        c.defaults,
        strings(&[
            "model: resnet",
            "optional dataset: imagenet",
            "override hydra/launcher: joblib",
            "db: [mysql, sqlite]",
            "_self_",
        ])
    );
    assert_eq!(
        c.targets,
        vec![
            target("model", "torchvision.models.resnet50", 11),
            target("model.head", "mypkg.heads.Linear", 14),
            target("optimizer", "torch.optim.Adam", 17),
            target(
                "callbacks[]",
                "pytorch_lightning.callbacks.EarlyStopping",
                20
            ),
            target(
                "callbacks[]",
                "pytorch_lightning.callbacks.ModelCheckpoint",
                22
            ),
        ]
    );
    assert!(c.params.contains(&"model.head.out_features".to_string()));
    assert!(c.params.contains(&"trainer.max_epochs".to_string()));
}

#[test]
fn hydra_by_target_only() {
    let facts = analyze(Language::Yaml, "resnet.yaml", "_target_: a.B\ndepth: 50\n");
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::Hydra);
    assert_eq!(c.targets, vec![target("", "a.B", 1)]);
    assert!(c.defaults.is_empty());
}

#[test]
fn kedro_catalog() {
    let facts = run(Language::Yaml, "catalog.yml");
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::KedroCatalog);
    assert_eq!(
        c.datasets,
        vec![
            dataset(
                "companies",
                6,
                "pandas.CSVDataset",
                "data/01_raw/companies.csv"
            ),
            dataset(
                "reviews",
                10,
                "pandas.CSVDataset",
                "data/01_raw/reviews.csv"
            ),
            dataset(
                "shuttles",
                14,
                "pandas.ExcelDataset",
                "data/01_raw/shuttles.xlsx"
            ),
            dataset(
                "model_input_table",
                20,
                "pandas.ParquetDataset",
                "data/03_primary/model_input_table.pq"
            ),
            dataset(
                "{name}_model",
                24,
                "pickle.PickleDataset",
                "data/06_models/{name}.pickle"
            ),
            dataset(
                "cached_features",
                28,
                "kedro.io.CachedDataset",
                "data/04_feature/features.pq"
            ),
        ]
    );
    // The merge key brought the template's fields.
    assert!(c.params.contains(&"companies.load_args.sep".to_string()));

    // Recognised by content under another name.
    let facts = analyze(Language::Yaml, "data.yml", &fixture("catalog.yml"));
    assert_eq!(config(&facts).kind, ConfigKind::KedroCatalog);
    assert_eq!(config(&facts).datasets.len(), 6);
}

#[test]
fn kedro_parameters() {
    let facts = run(Language::Yaml, "parameters.yml");
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::KedroParameters);
    assert_eq!((c.keys, c.depth), (4, 3));
    assert_eq!(
        c.params,
        strings(&[
            "model_options.features[]",
            "model_options.random_state",
            "model_options.test_size",
        ])
    );
    assert_eq!(
        c.lists,
        vec![list(
            "model_options.features",
            4,
            &["engines", "passenger_capacity", "crew"]
        )]
    );
}

#[test]
fn feast_feature_store() {
    let facts = run(Language::Yaml, "feature_store.yaml");
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::FeastFeatureStore);
    assert_eq!((c.keys, c.depth), (9, 2));
    assert!(c.params.contains(&"online_store.path".to_string()));
    let facts = analyze(Language::Yaml, "store.yaml", &fixture("feature_store.yaml"));
    assert_eq!(config(&facts).kind, ConfigKind::FeastFeatureStore);
}

#[test]
fn mlflow_project() {
    let facts = run(Language::Yaml, "MLproject");
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::MlflowProject);
    assert_eq!(
        c.stages,
        vec![
            stage(
                "main",
                6,
                "python train.py --alpha {alpha} --l1-ratio {l1_ratio}",
                &[],
                &[],
                &["alpha", "l1_ratio"],
            ),
            stage(
                "validate",
                11,
                "python validate.py {data_file}",
                &[],
                &[],
                &["data_file"]
            ),
        ]
    );
}

#[test]
fn pyproject() {
    let facts = run(Language::Toml, "pyproject.toml");
    assert!(!facts.syntax_errors);
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::Pyproject);
    assert_eq!((c.documents, c.keys, c.depth), (1, 15, 4));
    assert_eq!(
        c.params,
        strings(&[
            "build-system.build-backend",
            "build-system.requires.setuptools",
            "build-system.requires.wheel",
            "project.dependencies.numpy",
            "project.dependencies.scikit-learn",
            "project.dependencies.torch",
            "project.name",
            "project.optional-dependencies.dev.pytest",
            "project.optional-dependencies.dev.ruff",
            "project.version",
            "tool.pytest.ini_options.addopts",
            "tool.ruff.line-length",
        ])
    );
    assert_eq!(
        (facts.lines.loc, facts.lines.blank, facts.lines.comments),
        (21, 4, 1)
    );
}

#[test]
fn multi_document_yaml() {
    let facts = run(Language::Yaml, "multi.yaml");
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::Generic);
    // The empty third document is skipped, as serde-saphyr does.
    assert_eq!((c.documents, c.keys, c.depth), (3, 6, 3));
    assert_eq!(c.params, strings(&["[]", "name", "nested.a.b", "values[]"]));
    assert_eq!((facts.lines.comments, facts.lines.single_comments), (2, 2));
}

#[test]
fn json_config() {
    let facts = run(Language::Json, "config.json");
    let c = config(&facts);
    assert_eq!(c.kind, ConfigKind::Generic);
    assert_eq!((c.documents, c.keys, c.depth), (1, 10, 4));
    assert_eq!(
        c.params,
        strings(&[
            "model.hidden_size",
            "model.layers[].heads",
            "model.name",
            "tags[]",
            "train.epochs",
            "train.lr",
        ])
    );
    assert_eq!(facts.lines.sloc, 9);
}

#[test]
fn lists_of_strings_in_yaml_toml_and_json() {
    let yaml = "\
features:
  numeric: [price, qty]
  mixed: [price, 3]
  nested:
    - [a, b]
    - c
models:
  - cols: [x]
  - cols: []
top: [\"t\"]
";
    let facts = analyze(Language::Yaml, "features.yaml", yaml);
    assert_eq!(
        config(&facts).lists,
        vec![
            list("features.numeric", 2, &["price", "qty"]),
            list("features.nested[]", 4, &["a", "b"]),
            list("models[].cols", 8, &["x"]),
            list("top", 10, &["t"]),
        ]
    );
    let toml = "[features]\ncategorical = [\"city\", \"shop\"]\nweights = [1, 2]\n";
    let facts = analyze(Language::Toml, "f.toml", toml);
    assert_eq!(
        config(&facts).lists,
        vec![list("features.categorical", 2, &["city", "shop"])]
    );
    let json = "{\n  \"target\": [\"churned\"],\n  \"rows\": [[\"a\"], [\"b\"]]\n}\n";
    let facts = analyze(Language::Json, "f.json", json);
    assert_eq!(
        config(&facts).lists,
        vec![
            list("target", 2, &["churned"]),
            list("rows[]", 3, &["a"]),
            list("rows[]", 3, &["b"]),
        ]
    );
}

#[test]
fn lists_are_bounded() {
    let long = "x".repeat(ConfigList::MAX_CHARS + 1);
    let values: Vec<String> = (0..100).map(|i| format!("c{i}")).collect();
    let yaml = format!("long: [a, {long}]\nwide: [{}]\n", values.join(", "));
    let facts = analyze(Language::Yaml, "f.yaml", &yaml);
    let lists = &config(&facts).lists;
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].key, "wide");
    assert_eq!(lists[0].values.len(), ConfigList::MAX_VALUES);
    assert_eq!(lists[0].values[63], "c63");

    let yaml: String = (0..600).map(|i| format!("k{i}: [v]\n")).collect();
    let facts = analyze(Language::Yaml, "many.yaml", &yaml);
    let lists = &config(&facts).lists;
    assert_eq!(lists.len(), ConfigFacts::MAX_LISTS);
    assert_eq!(lists[499], list("k499", 500, &["v"]));
    assert_eq!(
        facts.problems,
        vec![Problem::new(
            0,
            "600 lists of strings: only the first 500 are listed"
        )]
    );
}

#[test]
fn key_lines_in_json_and_toml() {
    let json =
        "{\n  \"a\": 1,\n  \"m\": {\n    \"x\": [1,\n 2],\n    \"_target_\": \"p.M\"\n  }\n}\n";
    let facts = analyze(Language::Json, "model.json", json);
    assert_eq!(config(&facts).kind, ConfigKind::Hydra);
    assert_eq!(config(&facts).targets, vec![target("m", "p.M", 6)]);

    let toml = "title = \"t\"\n\n[model]\nlayers = 3\n\n[model.head]\n_target_ = \"p.Head\"\n";
    let facts = analyze(Language::Toml, "model.toml", toml);
    assert_eq!(
        config(&facts).targets,
        vec![target("model.head", "p.Head", 7)]
    );
}

#[test]
fn anchors_merge_keys_and_booleans() {
    let facts = run(Language::Yaml, "anchors.yaml");
    assert_eq!(facts.problems, vec![]);
    let c = config(&facts);
    assert_eq!((c.keys, c.depth), (13, 2));
    // `on` and `y` are YAML 1.1 booleans as values, but keys stay as written.
    assert_eq!(
        c.params,
        strings(&[
            "base.batch",
            "base.lr",
            "copy[]",
            "large.batch",
            "large.lr",
            "list[]",
            "small.batch",
            "small.lr",
            "switch",
            "y",
        ])
    );
    let facts = analyze(Language::Yaml, "ci.yaml", "on: push\nn: 1\nyes: 2\n");
    assert_eq!(config(&facts).params, strings(&["n", "on", "yes"]));
}

#[test]
fn billion_laughs_rejected_fast() {
    let start = Instant::now();
    let facts = run(Language::Yaml, "billion_laughs.yaml");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    assert!(!facts.syntax_errors);
    assert_eq!(facts.problems.len(), 1);
    let problem = &facts.problems[0];
    assert_eq!(problem.line, 6);
    assert!(
        problem
            .message
            .starts_with("YAML not analysed, limit exceeded: alias replay limit"),
        "{}",
        problem.message
    );
    let c = config(&facts);
    assert_eq!((c.kind, c.documents, c.keys), (ConfigKind::Generic, 0, 0));
    assert_eq!(facts.lines.loc, 10);
}

#[test]
fn deep_nesting_is_a_limit() {
    let cases = [
        (
            Language::Yaml,
            "deep.yaml",
            65,
            "YAML not analysed, limit exceeded: budget breached: Depth",
        ),
        (
            Language::Json,
            "deep.json",
            1,
            "JSON not analysed, limit exceeded: nesting deeper than 64 levels",
        ),
        (
            Language::Toml,
            "deep.toml",
            1,
            "TOML not analysed, limit exceeded: cannot recurse further",
        ),
        (
            Language::Toml,
            "deep_table.toml",
            1,
            "TOML not analysed, limit exceeded: nesting deeper than 64 levels",
        ),
    ];
    for (language, name, line, message) in cases {
        let facts = run(language, name);
        assert!(!facts.syntax_errors, "{name}");
        assert_eq!(facts.problems.len(), 1, "{name}");
        assert_eq!(facts.problems[0].line, line, "{name}");
        assert!(
            facts.problems[0].message.starts_with(message),
            "{name}: {}",
            facts.problems[0].message
        );
        assert_eq!(config(&facts).keys, 0);
    }
    // 64 levels are fine.
    let json = format!("{}{}", "[".repeat(64), "]".repeat(64));
    let facts = analyze(Language::Json, "ok.json", &json);
    assert_eq!(facts.problems, vec![]);
    assert_eq!(config(&facts).depth, 64);
}

#[test]
fn duplicate_keys_keep_the_last_value() {
    let facts = run(Language::Yaml, "duplicates.yaml");
    assert!(!facts.syntax_errors);
    assert_eq!(
        facts.problems,
        vec![
            Problem::new(
                3,
                "duplicate key `debug` (also at line 1): the last value is used"
            ),
            Problem::new(
                6,
                "duplicate key `lr` (also at line 5): the last value is used"
            ),
        ]
    );
    let c = config(&facts);
    assert_eq!(c.keys, 4);
    assert_eq!(
        c.params,
        strings(&["debug", "mixed_precision", "training.lr"])
    );
    let json = "{\"a\": 1,\n\"a\": 2}";
    let facts = analyze(Language::Json, "x.json", json);
    assert_eq!(
        facts.problems,
        vec![Problem::new(
            2,
            "duplicate key `a` (also at line 1): the last value is used"
        )]
    );
}

#[test]
fn invalid_files() {
    let cases = [
        (Language::Yaml, "invalid.yaml", 4, "invalid YAML: "),
        (Language::Toml, "invalid.toml", 3, "invalid TOML: "),
        (Language::Json, "invalid.json", 3, "invalid JSON: "),
    ];
    for (language, name, line, prefix) in cases {
        let facts = run(language, name);
        assert!(facts.syntax_errors, "{name}");
        assert_eq!(facts.problems.len(), 1, "{name}");
        assert_eq!(facts.problems[0].line, line, "{name}");
        assert!(facts.problems[0].message.starts_with(prefix), "{name}");
        let c = config(&facts);
        assert_eq!((c.kind, c.documents, c.keys), (ConfigKind::Generic, 0, 0));
        assert!(facts.lines.loc > 0);
    }
    // The kind a name implies survives a parse error.
    let facts = analyze(Language::Yaml, "dvc.yaml", "stages: [\n");
    assert!(facts.syntax_errors);
    assert_eq!(config(&facts).kind, ConfigKind::DvcPipeline);
}

#[test]
fn too_many_nodes_or_keys() {
    let json = format!("[{}0]", "0,".repeat(300_000));
    let facts = analyze(Language::Json, "big.json", &json);
    assert!(!facts.syntax_errors);
    assert_eq!(
        facts.problems[0].message,
        "JSON not analysed, limit exceeded: more than 250000 nodes at line 1 column 500001"
    );

    let yaml: String = (0..6000).map(|i| format!("k{i}: {i}\n")).collect();
    let facts = analyze(Language::Yaml, "wide.yaml", &yaml);
    let c = config(&facts);
    assert_eq!(c.keys, 6000);
    assert_eq!(c.params.len(), ConfigFacts::MAX_KEYS_LISTED);
    assert_eq!(
        facts.problems,
        vec![Problem::new(
            0,
            "6000 leaf keys: only the first 5000 are listed"
        )]
    );
}

#[test]
fn empty_and_scalar_files() {
    let facts = analyze(Language::Yaml, "empty.yaml", "# nothing\n\n");
    let c = config(&facts);
    assert_eq!(
        (c.kind, c.documents, c.keys, c.depth),
        (ConfigKind::Generic, 0, 0, 0)
    );
    assert_eq!(
        (
            facts.lines.loc,
            facts.lines.blank,
            facts.lines.single_comments
        ),
        (2, 1, 1)
    );
    let facts = analyze(Language::Json, "n.json", "42");
    let c = config(&facts);
    assert_eq!((c.documents, c.keys, c.depth), (1, 0, 0));
    assert!(c.params.is_empty());
}

#[test]
fn not_a_config_language() {
    let facts = analyze(Language::Python, "x.py", "x = 1\n");
    assert_eq!(facts.config, None);
    assert_eq!(
        facts.problems,
        vec![Problem::new(0, "not a configuration language")]
    );
}

#[test]
fn kinds_from_names() {
    let cases = [
        ("dvc.yaml", Some(ConfigKind::DvcPipeline)),
        ("dvc.yml", Some(ConfigKind::DvcPipeline)),
        ("dvc.lock", Some(ConfigKind::DvcLock)),
        ("params.yaml", Some(ConfigKind::Params)),
        ("params.json", Some(ConfigKind::Params)),
        ("params_train.toml", Some(ConfigKind::Params)),
        ("parameters.yml", Some(ConfigKind::KedroParameters)),
        (
            "parameters_data_science.yaml",
            Some(ConfigKind::KedroParameters),
        ),
        ("catalog.yml", Some(ConfigKind::KedroCatalog)),
        ("catalog_spark.yaml", Some(ConfigKind::KedroCatalog)),
        ("feature_store.yaml", Some(ConfigKind::FeastFeatureStore)),
        ("MLproject", Some(ConfigKind::MlflowProject)),
        ("pyproject.toml", Some(ConfigKind::Pyproject)),
        ("paramset.yaml", None),
        ("catalog.json", None),
        ("config.yaml", None),
    ];
    for (name, kind) in cases {
        assert_eq!(kind_from_name(name), kind, "{name}");
    }
}

#[test]
fn trailing_comments() {
    let yaml = "a: 1 # one\nb: \"x # y\"\nc: it's # c\nd: x#y\n";
    let facts = analyze(Language::Yaml, "t.yaml", yaml);
    assert_eq!(
        (
            facts.lines.sloc,
            facts.lines.comments,
            facts.lines.single_comments
        ),
        (4, 2, 0)
    );
    let toml = "a = 1#one\nb = 'x # y'\n";
    let facts = analyze(Language::Toml, "t.toml", toml);
    assert_eq!(facts.lines.comments, 1);
}

#[test]
fn yaml_tags_floats_and_dates() {
    let yaml = "a: !!python/tuple [1, 2]\nb: !ENV ${X}\nc: !include other.yaml\n\
                d: .nan\ne: -.inf\nf: 2001-12-14t21:59:43.10-05:00\ng: !custom {x: 1}\n";
    let facts = analyze(Language::Yaml, "t.yaml", yaml);
    assert_eq!(facts.problems, vec![]);
    let params = &config(&facts).params;
    assert_eq!(params, &strings(&["a[]", "b", "c", "d", "e", "f", "g.x"]));

    let toml = "\u{feff}a = 1979-05-27T07:32:00Z\nb = inf\nc = 0x1F\n";
    let facts = analyze(Language::Toml, "t.toml", toml);
    assert_eq!(facts.problems, vec![]);
    assert_eq!(config(&facts).params, strings(&["a", "b", "c"]));

    let facts = analyze(Language::Json, "t.json", "\u{feff}{\"a\": 1}");
    assert_eq!(facts.problems, vec![]);
}

#[test]
fn targets_are_dynamic_points() {
    let facts = run(Language::Yaml, "config.yaml");
    assert_eq!(facts.dynamic.len(), 5);
    assert_eq!(
        facts.dynamic[0],
        DynamicPoint {
            kind: DynamicKind::HydraTarget,
            line: 11,
            cell: None,
            detail: "_target_: torchvision.models.resnet50".to_string(),
        }
    );
}

#[test]
fn oversized_files_get_lines_only() {
    let big = format!("# x\n{}", "#".repeat(16 << 20));
    let facts = analyze(Language::Yaml, "params.yaml", &big);
    assert_eq!((facts.lines.loc, facts.lines.single_comments), (2, 2));
    assert_eq!(
        facts.problems,
        vec![Problem::new(0, "not analysed: larger than 16 MiB")]
    );
    assert_eq!(config(&facts).kind, ConfigKind::Params);
}

#[test]
fn cargo_crate_names() {
    let name = |text: &str| {
        config(&analyze(Language::Toml, "Cargo.toml", text))
            .package
            .clone()
    };
    assert_eq!(
        name("[package]\nname = \"fast-feat\"\n"),
        Some("fast-feat".into())
    );
    assert_eq!(
        name("[package]\nname = \"a\"\n[lib]\nname = \"b\"\n"),
        Some("b".into())
    );
    assert_eq!(name("[workspace]\nmembers = []\n"), None);
    let other = analyze(Language::Toml, "x.toml", "[package]\nname = \"a\"\n");
    assert_eq!(config(&other).package, None);
}

fn setting(key: &str, value: &str, line: u32) -> ConfigValue {
    ConfigValue {
        key: key.to_string(),
        value: value.to_string(),
        line,
    }
}

#[test]
fn values_of_settings_files() {
    let yaml = "\
train:
  lr: 0.01
  use_mixup: no
  name: \"false\"
  tag: resnet
  layers: [64, 32]
  steps:
    - name: warmup
  empty: {}
seed: null
";
    let facts = analyze(Language::Yaml, "params.yaml", yaml);
    assert_eq!(
        config(&facts).values,
        vec![
            setting("train.lr", "0.01", 2),
            setting("train.use_mixup", "false", 3),
            setting("train.name", "\"false\"", 4),
            setting("train.tag", "resnet", 5),
            setting("train.layers[]", "[64, 32]", 6),
            setting("train.steps[].name", "warmup", 8),
            setting("seed", "null", 10),
        ]
    );
    let toml = "[train]\nlr = 0.1\nname = \"1\"\n";
    let facts = analyze(Language::Toml, "config.toml", toml);
    assert_eq!(
        config(&facts).values,
        vec![
            setting("train.lr", "0.1", 2),
            setting("train.name", "\"1\"", 3)
        ]
    );
}

#[test]
fn values_only_in_settings_files_and_bounded() {
    let json = "{\"a\": 1}";
    assert_eq!(
        config(&analyze(Language::Json, "vocab.json", json)).values,
        vec![]
    );
    assert_eq!(
        config(&analyze(Language::Json, "params.json", json)).values,
        vec![setting("a", "1", 1)]
    );
    let dvc = "stages:\n  train:\n    cmd: python train.py\n";
    assert_eq!(
        config(&analyze(Language::Yaml, "dvc.yaml", dvc)).values,
        vec![]
    );
    let long = "x".repeat(ConfigValue::MAX_CHARS + 1);
    let many: String = (0..6000).map(|i| format!("k{i}: {i}\n")).collect();
    let facts = analyze(Language::Yaml, "big.yaml", &format!("long: {long}\n{many}"));
    let values = &config(&facts).values;
    assert_eq!(values.len(), ConfigFacts::MAX_KEYS_LISTED);
    assert_eq!(values[0], setting("k0", "0", 2));
}
