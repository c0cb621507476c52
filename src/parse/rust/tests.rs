use super::analyze;

#[test]
fn dump() {
    let src = std::fs::read_to_string("testdata/rust/metrics.rs").unwrap();
    let f = analyze(&src);
    for x in &f.functions {
        println!(
            "{:40} {:?} {}-{} cc{} cog{} n{} p{} {:?}",
            x.name,
            x.kind,
            x.line,
            x.end_line,
            x.cyclomatic,
            x.cognitive,
            x.nesting,
            x.params,
            x.lines
        );
    }
    println!(
        "{:?}\n{:?}\n{:?}\n{:?} {:?}",
        f.uses, f.mods, f.problems, f.lines, f.metrics
    );
}
