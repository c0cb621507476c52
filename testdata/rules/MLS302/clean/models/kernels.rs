/// The mean of each window of `w` values.
pub fn rolling_mean(x: &[f64], w: usize) -> Vec<f64> {
    let mut out = Vec::new();
    for i in w..=x.len() {
        out.push(x[i - w..i].iter().sum::<f64>() / w as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_each_window() {
        let out = rolling_mean(&[1.0, 2.0, 3.0], 2);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0], 1.5);
        assert_eq!(out[1], 2.5);
    }
}
