pub fn rolling_mean(x: &[f64], w: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for i in w..=x.len() {
        out.push(x[i - w..i].iter().sum::<f64>() / w as f64);
    }
    out
}
