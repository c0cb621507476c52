/// Mean over a trailing window; `None` where the window is empty.
pub fn rolling_mean(xs: &[f64], window: usize) -> Vec<Option<f64>> {
    xs.iter()
        .enumerate()
        .map(|(i, _)| {
            let start = i.saturating_sub(window.saturating_sub(1));
            let slice = &xs[start..=i];
            match slice.len() {
                0 => None,
                n => Some(slice.iter().sum::<f64>() / n as f64),
            }
        })
        .collect()
}
