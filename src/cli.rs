//! Command-line interface: argument parsing and dispatch. Exit codes follow
//! linters: 0 success, 1 a failed gate (`--fail-on`, budgets), 2 usage,
//! configuration or I/O errors.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::cache::Cache;
use crate::check::Settings;
use crate::config;
use crate::facts::{AnalysisOptions, CcRules};
use crate::history::{self, Period};
use crate::map::{Direction, GraphKind, MapReport, Query};
use crate::render;
use crate::ruleset::{Level, RuleSet};
use crate::scan::{self, ScanOptions, ScanStats};
use crate::trend::{self, ActivityOptions, CacheDir, TrendOptions};
use crate::walk::{WalkOptions, human_bytes};

/// A fast, parallel system-complexity scanner for machine-learning
/// repositories.
#[derive(Parser)]
#[command(name = "mlscan", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan a repository: complexity per function, file and component,
    /// findings of the rules, explainability and complexity scores.
    Scan(ScanArgs),
    /// Map a repository: the resolved import graph and the lineage from
    /// data sources through features and models to pipeline stages.
    Map(MapArgs),
    /// How complexity and explainability grew over the git history: the
    /// series of sampled revisions, their growth and sparklines.
    Trend(TrendArgs),
    /// List the rules, or explain one.
    Rules(RulesArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A one-screen control panel.
    Text,
    /// Everything, as documented in docs/SCHEMA.md.
    Json,
    /// The findings as SARIF 2.1.0 (code scanning).
    Sarif,
    /// The findings as GitHub Actions annotations.
    Github,
}

#[derive(clap::Args)]
struct ScanArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Run only these rules: ids, prefixes (MLS2), names, families or ALL
    /// (comma-separated; replaces the configured selection).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules (comma-separated; adds to the configured).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    ignore: Vec<String>,
    /// Exit with code 1 when a finding at this decision level or above is
    /// reported (budgets in the configuration fail it too).
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<Level>,
}

#[derive(clap::Args)]
struct RulesArgs {
    #[command(subcommand)]
    action: Option<RulesAction>,
    #[arg(long, value_enum, default_value = "text", global = true)]
    format: RulesFormat,
}

#[derive(Subcommand)]
enum RulesAction {
    /// Print a rule's documentation: what it detects, why it matters, an
    /// example, the fix and its options.
    Explain {
        /// A rule id (MLS001) or name (complex-function).
        rule: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    /// Every rule (or the explained one) with its documentation (see
    /// docs/SCHEMA.md).
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum MapFormat {
    /// A summary of both graphs, or the answer to a query.
    Text,
    /// Everything, as documented in docs/SCHEMA.md.
    Json,
    /// Graphviz DOT, one digraph per graph.
    Dot,
    /// Mermaid flowcharts.
    Mermaid,
}

#[derive(clap::Args)]
struct MapArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: MapFormat,
    /// Which graphs to build.
    #[arg(long, value_enum, default_value = "all")]
    kind: GraphKind,
    /// Show only what NODE depends on (a module, file, dataset, feature,
    /// model or stage; transitively).
    #[arg(long, value_name = "NODE", conflicts_with = "downstream")]
    upstream: Option<String>,
    /// Show only what a change to NODE reaches (transitively).
    #[arg(long, value_name = "NODE")]
    downstream: Option<String>,
    /// Follow at most N edges from NODE.
    #[arg(long, value_name = "N")]
    depth: Option<u32>,
    /// Write the map to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum TrendFormat {
    /// One row per series: first, last, change, a sparkline.
    Text,
    /// Every revision with its series, documented in docs/SCHEMA.md.
    Json,
    /// One row per revision, repository-level series as columns.
    Csv,
    /// A line chart of the complexity index and explainability (SVG).
    Svg,
}

#[derive(clap::Args)]
struct TrendArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum, default_value = "text")]
    format: TrendFormat,
    /// Write the trend to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also draw the chart (SVG) into FILE.
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
    /// The last N revisions of the selection (default: 50 when no other
    /// selection is given).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    last: Option<u64>,
    /// Commits at or after DATE (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Commits at or before DATE (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// One sample per period, its latest commit: Nd, Nw, Nm, Nq, Ny, or
    /// day, week, month, quarter, year.
    #[arg(long, value_name = "PERIOD")]
    every: Option<Period>,
    /// Commits in A..B (reachable from B, not from A), or up to a tip
    /// (tag, branch, commit). Default: HEAD.
    #[arg(long, value_name = "RANGE")]
    revs: Option<String>,
    /// Every commit (ordered by commit time), not only the first-parent
    /// mainline.
    #[arg(long)]
    all_parents: bool,
    /// Churn, hotspots and change coupling over the last DAYS before the
    /// newest sample.
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    window: u32,
    /// Ownership, bus factor and knowledge loss over the last DAYS.
    #[arg(long, value_name = "DAYS", default_value_t = 365)]
    ownership_window: u32,
    /// An author without a commit for DAYS is inactive (knowledge loss).
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    inactive_after: u32,
    /// Leave out churn, hotspots, coupling and ownership.
    #[arg(long)]
    no_activity: bool,
    /// Check that the explainability score predicts trouble: the scores
    /// of a sample against the bug-fix commits of the next DAYS
    /// (`--validate-window`).
    #[arg(long)]
    validate: bool,
    /// With --validate: the sample judged is the newest at least DAYS
    /// before the newest commit, and the bug fixes are counted after it.
    #[arg(long, value_name = "DAYS", default_value_t = 180)]
    validate_window: u32,
    /// What a bug-fix commit message matches (a regular expression).
    #[arg(long, value_name = "REGEX", default_value = crate::activity::validity::DEFAULT_BUG_FIX_PATTERN)]
    bug_pattern: String,
    /// Run only these rules (as for scan; changes the findings series).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    ignore: Vec<String>,
}

/// Revisions sampled when no selection is given.
const DEFAULT_LAST: usize = 50;

/// What to scan and how: shared by every command that scans.
#[derive(clap::Args)]
struct InputArgs {
    /// Repository folder or single file to scan.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
    /// Skip paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Also scan virtualenvs, caches, build outputs and experiment logs.
    #[arg(long)]
    no_default_excludes: bool,
    /// Follow symbolic links (loops are detected and reported).
    #[arg(long)]
    follow_links: bool,
    /// Python cyclomatic rules: radon's (default) or mccabe/ruff C901's.
    #[arg(long, value_enum, value_name = "RULES")]
    cc_rules: Option<CcRules>,
    /// Skip code files larger than BYTES (default: 8 MiB).
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Configuration file (default: mlscan.toml or [tool.mlscan] in
    /// pyproject.toml of the scanned folder).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// No progress bar and no timing line on standard error.
    #[arg(long, short)]
    quiet: bool,
    /// Keep the facts cache in DIR (default: .mlscan in the scanned folder;
    /// for trend, at the repository's root).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Analyse every file; neither read nor write the cache.
    #[arg(long, conflicts_with = "cache_dir")]
    no_cache: bool,
    /// Print how many files were analysed and how many came from the cache
    /// on standard error.
    #[arg(long)]
    stats: bool,
}

impl ValueEnum for Level {
    fn value_variants<'a>() -> &'a [Self] {
        &[Level::Local, Level::Review, Level::Escalate]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

impl ValueEnum for CcRules {
    fn value_variants<'a>() -> &'a [Self] {
        &[CcRules::Radon, CcRules::Mccabe]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(match self {
            CcRules::Radon => clap::builder::PossibleValue::new("radon").help(
                "radon 6: boolean operators, comprehensions, ternaries, loop/try else, assert",
            ),
            CcRules::Mccabe => clap::builder::PossibleValue::new("mccabe")
                .help("mccabe / ruff C901: statements only, closures added to their parent"),
        })
    }
}

const DEFAULT_MAX_CODE_BYTES: u64 = 8 * 1024 * 1024;
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Parses arguments, runs the command and returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => run_scan(args),
        Command::Map(args) => run_map(args),
        Command::Trend(args) => run_trend(args),
        Command::Rules(args) => run_rules(args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("mlscan: error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run_scan(args: ScanArgs) -> Result<ExitCode, String> {
    let started = Instant::now();
    let mut options = scan_options(&args.input)?;
    options.checks = Some(Settings::new(
        &options.project,
        &args.select,
        &args.ignore,
        args.fail_on,
    )?);
    let (report, stats) = scan::scan_with_stats(&options)?;
    report_stats(&args.input, &stats);
    let color =
        args.output.is_none() && std::io::stdout().is_terminal() && console::colors_enabled();
    emit(args.output.as_deref(), |out| match args.format {
        Format::Text => render::write_text(&report, color, out),
        Format::Json => render::write_json(&report, out),
        Format::Sarif => render::write_sarif(&report, out),
        Format::Github => render::write_github(&report.findings, out),
    })?;
    if options.progress {
        let bytes: u64 = report.files.iter().map(|f| f.bytes).sum();
        eprintln!(
            "scanned {} files ({}) in {:.2} s with {} threads; {} analysed, {} from the cache",
            report.files.len(),
            human_bytes(bytes),
            started.elapsed().as_secs_f64(),
            options.walk.threads,
            stats.analysed,
            stats.cached
        );
    }
    if report.has_errors() {
        return Ok(ExitCode::from(2));
    }
    let failed = report.gate.as_ref().is_some_and(|g| !g.passed);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_trend(args: TrendArgs) -> Result<ExitCode, String> {
    let started = Instant::now();
    if args.input.follow_links {
        return Err(
            "--follow-links does not apply to trend: git trees are read, not folders".to_owned(),
        );
    }
    let date = |date: &Option<String>, at: fn(&str) -> Result<i64, history::Error>| {
        date.as_deref()
            .map(at)
            .transpose()
            .map_err(|e| e.to_string())
    };
    let since = date(&args.since, history::date_start)?;
    let until = date(&args.until, history::date_end)?;
    let selected =
        since.is_some() || until.is_some() || args.every.is_some() || args.revs.is_some();
    let revisions = history::Options {
        range: args.revs,
        first_parent: !args.all_parents,
        since,
        until,
        every: args.every,
        last: args
            .last
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            .or((!selected).then_some(DEFAULT_LAST)),
    };
    let input = &args.input;
    let options = TrendOptions {
        scan: scan_options(input)?,
        select: args.select,
        ignore: args.ignore,
        revisions,
        cache: match (&input.cache_dir, input.no_cache) {
            (_, true) => CacheDir::Off,
            (Some(dir), false) => CacheDir::At(dir.clone()),
            (None, false) => CacheDir::InRepository,
        },
        activity: (!args.no_activity).then_some(ActivityOptions {
            window_days: args.window,
            ownership_days: args.ownership_window,
            inactive_after_days: args.inactive_after,
        }),
        validate: args
            .validate
            .then(|| (args.validate_window, args.bug_pattern.clone())),
    };
    let progress = options.scan.progress;
    let threads = options.scan.walk.threads;
    let trend = trend::run(options)?;
    let stats = &trend.stats;
    if !input.quiet {
        for warning in &stats.cache_warnings {
            eprintln!("mlscan: warning: {warning}");
        }
    }
    if input.stats {
        let c = &stats.counts;
        eprintln!(
            "revisions: {} ({} from snapshots) · file versions: {} · distinct blobs: {} · blobs analysed: {} · {} · cache: {}",
            c.revisions,
            c.from_snapshots,
            c.file_versions,
            c.distinct_blobs,
            c.blobs_analysed,
            python_parsed(),
            stats.cache_bytes.map_or("off".to_owned(), human_bytes)
        );
    }
    let color =
        args.output.is_none() && std::io::stdout().is_terminal() && console::colors_enabled();
    emit(args.output.as_deref(), |out| match args.format {
        TrendFormat::Text => render::write_trend_text(&trend, color, out),
        TrendFormat::Json => render::write_json(&trend, out),
        TrendFormat::Csv => render::write_trend_csv(&trend, out),
        TrendFormat::Svg => render::write_svg(&render::trend_chart(&trend), out),
    })?;
    if let Some(path) = &args.chart {
        emit(Some(path), |out| {
            render::write_svg(&render::trend_chart(&trend), out)
        })?;
    }
    if progress {
        eprintln!(
            "trend of {} revisions in {:.2} s with {} threads; {} blobs analysed, {} revisions from snapshots",
            stats.counts.revisions,
            started.elapsed().as_secs_f64(),
            threads,
            stats.counts.blobs_analysed,
            stats.counts.from_snapshots
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn run_rules(args: RulesArgs) -> Result<ExitCode, String> {
    let rules = RuleSet::builtin();
    let color = std::io::stdout().is_terminal() && console::colors_enabled();
    match args.action {
        None => emit(None, |out| match args.format {
            RulesFormat::Text => render::write_rule_list(&rules.rules, color, out),
            RulesFormat::Json => render::write_json(&rules.rules, out),
        })?,
        Some(RulesAction::Explain { rule }) => {
            let rule = rules
                .find(&rule)
                .ok_or_else(|| format!("no rule `{rule}` (`mlscan rules` lists them)"))?;
            emit(None, |out| match args.format {
                RulesFormat::Text => render::write_rule_doc(rule, color, out),
                RulesFormat::Json => render::write_json(rule, out),
            })?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn run_map(args: MapArgs) -> Result<ExitCode, String> {
    let options = scan_options(&args.input)?;
    let query = match (args.upstream, args.downstream) {
        (Some(node), _) => Some((node, Direction::Upstream)),
        (None, Some(node)) => Some((node, Direction::Downstream)),
        (None, None) => None,
    }
    .map(|(node, direction)| Query {
        node,
        direction,
        depth: args.depth,
    });
    let (scan, stats) = scan::scan_with_stats(&options)?;
    report_stats(&args.input, &stats);
    let read_errors = scan.has_errors();
    let report = MapReport::new(scan, args.kind, query.as_ref())?;
    let color =
        args.output.is_none() && std::io::stdout().is_terminal() && console::colors_enabled();
    emit(args.output.as_deref(), |out| match args.format {
        MapFormat::Text => render::write_map_text(&report, color, out),
        MapFormat::Json => render::write_json(&report, out),
        MapFormat::Dot => render::write_dot(&render::map_views(&report), out),
        MapFormat::Mermaid => render::write_mermaid(&render::map_views(&report), out),
    })?;
    Ok(exit_code(read_errors))
}

/// Cache problems (unless quiet) and, with `--stats`, the counts, on
/// standard error.
fn report_stats(input: &InputArgs, stats: &ScanStats) {
    if !input.quiet {
        for warning in &stats.cache_warnings {
            eprintln!("mlscan: warning: {warning}");
        }
    }
    if input.stats {
        eprintln!(
            "files: {} analysed, {} from the cache · {}",
            stats.analysed,
            stats.cached,
            python_parsed()
        );
    }
}

/// How much of the Python met was parsed: a statement met before (in
/// another file, or another version of one) is not parsed again.
fn python_parsed() -> String {
    let (met, parsed) = crate::parse::python::python_bytes();
    format!(
        "Python parsed: {} of {}",
        human_bytes(parsed),
        human_bytes(met)
    )
}

/// Scan options from the flags, the project config and the defaults, in
/// that order of precedence.
fn scan_options(input: &InputArgs) -> Result<ScanOptions, String> {
    let project = config::load(&input.path, input.config.as_deref())?.config;
    let threads = input
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    Ok(ScanOptions {
        root: input.path.clone(),
        walk: WalkOptions {
            threads,
            excludes: project
                .exclude
                .iter()
                .chain(&input.exclude)
                .cloned()
                .collect(),
            default_excludes: !input.no_default_excludes,
            follow_links: input.follow_links,
            max_code_bytes: input
                .max_file_size
                .or(project.max_file_size)
                .unwrap_or(DEFAULT_MAX_CODE_BYTES),
            max_config_bytes: MAX_CONFIG_BYTES,
        },
        analysis: AnalysisOptions {
            cc_rules: input.cc_rules.or(project.cc_rules).unwrap_or_default(),
        },
        progress: std::io::stderr().is_terminal() && !input.quiet,
        checks: None,
        knowledge: Default::default(),
        cache: match (&input.cache_dir, input.no_cache) {
            (_, true) => None,
            (Some(dir), false) => Some(dir.clone()),
            // A single file is scanned without a cache of its own.
            (None, false) => input.path.is_dir().then(|| Cache::default_dir(&input.path)),
        },
        project,
    })
}

/// Renders straight into FILE or standard output, buffered.
fn emit(
    output: Option<&std::path::Path>,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let (sink, name): (Box<dyn Write>, String) = match output {
        Some(path) => {
            let file =
                std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
            (Box::new(file), path.display().to_string())
        }
        None => (
            Box::new(std::io::stdout().lock()),
            "standard output".to_owned(),
        ),
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    match render(&mut out).and_then(|()| out.flush()) {
        // A closed pipe (`mlscan scan | head`) is not an error worth a message.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to {name}: {e}"))
        }
        _ => Ok(()),
    }
}

/// Exit code 2 when some input could not be read.
fn exit_code(read_errors: bool) -> ExitCode {
    if read_errors {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
