//! Revision selection: the walk from a tip (or a range), date bounds,
//! one sample per period, the last N.

use foldhash::{HashMap, HashMapExt};
use std::str::FromStr;

use gix::revision::walk::Sorting;
use gix::traverse::commit::simple::CommitTimeOrder;

use super::{Error, ObjectId, Repo, git_err};

const DAY: i64 = 86_400;

/// One commit of the selected history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// Commit id (`Display` gives the hex).
    pub id: ObjectId,
    /// Parent ids, first parent first.
    pub parents: Vec<ObjectId>,
    /// Committer time, unix seconds.
    pub time: i64,
    /// Committer time zone, seconds east of UTC.
    pub offset: i32,
    /// Committer time as strict ISO 8601 in its own zone, as `git log --format=%cI`.
    pub date: String,
    /// Author name after `.mailmap`.
    pub author: String,
    /// Author email after `.mailmap`.
    pub email: String,
    /// First paragraph of the message on one line, as `git log --format=%s`.
    pub summary: String,
}

impl Revision {
    /// A merge commit (more than one parent).
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }
}

/// Which commits [`Repo::revisions`] returns. Applied in this order: the
/// walk (`range`, `first_parent`), `since`/`until`, `every`, `last`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `A..B` (commits reachable from B and not from A; an empty side is
    /// HEAD) or one revision (commit, tag, branch, `HEAD~3`…) as the tip.
    /// Default: HEAD.
    pub range: Option<String>,
    /// Follow first parents only (mainline history, the CLI default);
    /// otherwise every reachable commit, ordered by commit time, then id.
    pub first_parent: bool,
    /// Commits at or after this time (unix seconds). Like `git log --since`,
    /// a first-parent walk stops at the first older commit.
    pub since: Option<i64>,
    /// Commits at or before this time (unix seconds).
    pub until: Option<i64>,
    /// One sample per period: the latest commit (by commit time, then by
    /// history order) of each period bucket.
    pub every: Option<Period>,
    /// Keep only the last N (after sampling).
    pub last: Option<usize>,
}

/// A sampling period. Weeks (ISO, Monday 00:00 UTC) and months are
/// calendar buckets, `N` of them grouped from the epoch (so `3m` is a
/// calendar quarter and `12m` a year); days are counted back from the newest
/// selected commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Weeks(u32),
    Months(u32),
}

impl FromStr for Period {
    type Err = Error;

    /// `Nd`, `Nw`, `Nm`, `Nq` (3N months), `Ny` (12N months), or the words
    /// `day`, `week`, `month`, `quarter`, `year`.
    fn from_str(text: &str) -> Result<Period, Error> {
        let invalid = || {
            Error::Invalid(format!(
                "invalid period `{text}`: expected Nd, Nw, Nm, Nq, Ny (e.g. 1w, 30d, 2m) or day, week, month, quarter, year"
            ))
        };
        let (count, unit) = match text {
            "day" => (1, "d"),
            "week" => (1, "w"),
            "month" => (1, "m"),
            "quarter" => (1, "q"),
            "year" => (1, "y"),
            _ => {
                let split = text
                    .find(|c: char| !c.is_ascii_digit())
                    .ok_or_else(invalid)?;
                let count: u32 = text[..split].parse().map_err(|_| invalid())?;
                (count, &text[split..])
            }
        };
        if count == 0 {
            return Err(invalid());
        }
        let months = |factor: u32| {
            count
                .checked_mul(factor)
                .map(Period::Months)
                .ok_or_else(invalid)
        };
        match unit {
            "d" => Ok(Period::Days(count)),
            "w" => Ok(Period::Weeks(count)),
            "m" => months(1),
            "q" => months(3),
            "y" => months(12),
            _ => Err(invalid()),
        }
    }
}

impl Period {
    /// The bucket of `time`; `newest` anchors day buckets.
    fn bucket(self, time: i64, newest: i64) -> i64 {
        match self {
            Period::Days(n) => newest.saturating_sub(time).div_euclid(DAY * i64::from(n)),
            Period::Weeks(n) => {
                // 1970-01-01 was a Thursday: shift so weeks start on Monday.
                (time.div_euclid(DAY) + 3)
                    .div_euclid(7)
                    .div_euclid(i64::from(n))
            }
            Period::Months(n) => {
                let (year, month, _) = civil_from_days(time.div_euclid(DAY));
                (year * 12 + i64::from(month) - 1).div_euclid(i64::from(n))
            }
        }
    }
}

/// 00:00:00 UTC of a `YYYY-MM-DD` date, in unix seconds (for `since`).
pub fn date_start(date: &str) -> Result<i64, Error> {
    parse_date(date).map(|days| days * DAY)
}

/// 23:59:59 UTC of a `YYYY-MM-DD` date, in unix seconds (an inclusive `until`).
pub fn date_end(date: &str) -> Result<i64, Error> {
    parse_date(date).map(|days| days * DAY + DAY - 1)
}

/// Days since the epoch of a `YYYY-MM-DD` date.
fn parse_date(date: &str) -> Result<i64, Error> {
    let invalid = || Error::Invalid(format!("invalid date `{date}`: expected YYYY-MM-DD"));
    let mut parts = date.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(invalid());
    }
    let number = |s: &str| s.parse::<u32>().map_err(|_| invalid());
    let (year, month, day) = (number(y)?, number(m)?, number(d)?);
    let days = days_from_civil(i64::from(year), month, day);
    // Round-tripping rejects months and days out of range (2024-02-30).
    if !(1..=12).contains(&month) || civil_from_days(days) != (i64::from(year), month, day) {
        return Err(invalid());
    }
    Ok(days)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Strict ISO 8601 in the given zone, like git's `%cI` (`Z` for UTC).
fn iso_date(time: i64, offset: i32) -> String {
    let local = time.saturating_add(i64::from(offset));
    let (year, month, day) = civil_from_days(local.div_euclid(DAY));
    let secs = local.rem_euclid(DAY);
    let zone = if offset == 0 {
        "Z".to_string()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        let abs = offset.unsigned_abs();
        format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
    };
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{zone}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

impl Repo {
    /// The commits selected by `options`, oldest first.
    pub fn revisions(&self, options: &Options) -> Result<Vec<Revision>, Error> {
        let (tip, hidden) = self.resolve_range(options.range.as_deref())?;
        let mut walk = self.repo.rev_walk([tip]);
        if let Some(hidden) = hidden {
            walk = walk.with_hidden([hidden]);
        }
        walk = if options.first_parent {
            walk.first_parent_only()
        } else {
            walk.sorting(match options.since {
                Some(seconds) => Sorting::ByCommitTimeCutoff {
                    order: CommitTimeOrder::NewestFirst,
                    seconds,
                },
                None => Sorting::ByCommitTime(CommitTimeOrder::NewestFirst),
            })
        };
        // Without sampling, a first-parent walk can stop after `last` commits.
        let stop_after = match (options.first_parent, options.every) {
            (true, None) => options.last,
            _ => None,
        };
        let mut selected = Vec::new();
        for info in walk.all().map_err(git_err("walking history"))? {
            let info = info.map_err(git_err("walking history"))?;
            let revision = self.revision(info.id)?;
            if options.since.is_some_and(|since| revision.time < since) {
                if options.first_parent {
                    break;
                }
                continue;
            }
            if options.until.is_some_and(|until| revision.time > until) {
                continue;
            }
            selected.push(revision);
            if stop_after.is_some_and(|n| selected.len() >= n) {
                break;
            }
        }
        if options.first_parent {
            selected.reverse();
        } else {
            selected.sort_by(|a, b| a.time.cmp(&b.time).then(a.id.cmp(&b.id)));
        }
        if let Some(period) = options.every {
            selected = sample(selected, period);
        }
        if let Some(n) = options.last {
            let skip = selected.len().saturating_sub(n);
            selected.drain(..skip);
        }
        Ok(selected)
    }

    /// The tip and the hidden commit of a range (`A..B` or one revision).
    fn resolve_range(&self, range: Option<&str>) -> Result<(ObjectId, Option<ObjectId>), Error> {
        let Some(range) = range else {
            return Ok((self.commit_of("HEAD")?, None));
        };
        if range.contains("...") {
            return Err(Error::Invalid(format!(
                "range `{range}`: symmetric differences (A...B) are not supported, use A..B"
            )));
        }
        match range.split_once("..") {
            Some((from, to)) => {
                let or_head = |side: &str| {
                    if side.is_empty() {
                        "HEAD".to_string()
                    } else {
                        side.to_string()
                    }
                };
                let hidden = self.commit_of(&or_head(from))?;
                Ok((self.commit_of(&or_head(to))?, Some(hidden)))
            }
            None => Ok((self.commit_of(range)?, None)),
        }
    }

    /// The commit a revision names, peeling tags.
    pub(super) fn commit_of(&self, spec: &str) -> Result<ObjectId, Error> {
        let missing = || Error::MissingRevision(spec.to_string());
        let id = self.repo.rev_parse_single(spec).map_err(|_| missing())?;
        let object = id.object().map_err(|_| missing())?;
        let commit = object.peel_to_commit().map_err(|_| missing())?;
        Ok(commit.id)
    }

    /// Reads one commit.
    fn revision(&self, id: ObjectId) -> Result<Revision, Error> {
        let context = || format!("reading commit {id}");
        let commit = self.repo.find_commit(id).map_err(git_err(context()))?;
        let time = commit.time().map_err(git_err(context()))?;
        let author = commit.author().map_err(git_err(context()))?;
        let author = self.mailmap.resolve_cow(author);
        let summary = commit
            .message()
            .map_err(git_err(context()))?
            .summary()
            .to_string();
        Ok(Revision {
            id,
            parents: commit.parent_ids().map(|p| p.detach()).collect(),
            time: time.seconds,
            offset: time.offset,
            date: iso_date(time.seconds, time.offset),
            author: author.name.to_string(),
            email: author.email.to_string(),
            summary,
        })
    }
}

/// The latest commit of each period bucket, in history order.
fn sample(revisions: Vec<Revision>, period: Period) -> Vec<Revision> {
    let newest = revisions.iter().map(|r| r.time).max().unwrap_or(0);
    let mut best: HashMap<i64, usize> = HashMap::new();
    for (index, revision) in revisions.iter().enumerate() {
        let bucket = period.bucket(revision.time, newest);
        // Later in history order wins ties, so `>=`.
        let entry = best.entry(bucket).or_insert(index);
        if revision.time >= revisions[*entry].time {
            *entry = index;
        }
    }
    let mut keep: Vec<usize> = best.into_values().collect();
    keep.sort_unstable();
    let mut keep = keep.into_iter().peekable();
    revisions
        .into_iter()
        .enumerate()
        .filter_map(|(index, revision)| keep.next_if_eq(&index).map(|_| revision))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(iso_date(0, 0), "1970-01-01T00:00:00Z");
        assert_eq!(
            iso_date(1_700_000_000, -5 * 3600 - 1800),
            "2023-11-14T16:43:20-05:30"
        );
    }

    #[test]
    fn dates_and_periods_parse() {
        assert_eq!(date_start("2024-03-01"), Ok(1_709_251_200));
        assert_eq!(date_end("2024-02-29"), Ok(1_709_251_199));
        for bad in [
            "2024-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "24-01-01",
            "2024-01-01x",
            "",
        ] {
            assert!(matches!(date_start(bad), Err(Error::Invalid(_))), "{bad}");
        }
        assert_eq!("30d".parse(), Ok(Period::Days(30)));
        assert_eq!("1w".parse(), Ok(Period::Weeks(1)));
        assert_eq!("week".parse(), Ok(Period::Weeks(1)));
        assert_eq!("2m".parse(), Ok(Period::Months(2)));
        assert_eq!("quarter".parse(), Ok(Period::Months(3)));
        assert_eq!("2q".parse(), Ok(Period::Months(6)));
        assert_eq!("1y".parse(), Ok(Period::Months(12)));
        for bad in ["0d", "w", "3", "1x", "-1d", "quarterly", ""] {
            assert!(
                matches!(bad.parse::<Period>(), Err(Error::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn buckets_align_to_the_calendar() {
        let at = |date: &str| date_start(date).unwrap_or_default() + 3600;
        let week = Period::Weeks(1);
        // 2024-01-01 is a Monday: Sunday 2023-12-31 is in the week before.
        assert_eq!(
            week.bucket(at("2024-01-01"), 0),
            week.bucket(at("2024-01-07"), 0)
        );
        assert_ne!(
            week.bucket(at("2023-12-31"), 0),
            week.bucket(at("2024-01-01"), 0)
        );
        let quarter = Period::Months(3);
        assert_eq!(
            quarter.bucket(at("2024-01-01"), 0),
            quarter.bucket(at("2024-03-31"), 0)
        );
        assert_ne!(
            quarter.bucket(at("2024-03-31"), 0),
            quarter.bucket(at("2024-04-01"), 0)
        );
        let days = Period::Days(7);
        let newest = at("2024-01-15");
        assert_eq!(days.bucket(newest, newest), 0);
        assert_eq!(days.bucket(at("2024-01-09"), newest), 0);
        assert_eq!(days.bucket(at("2024-01-08"), newest), 1);
    }
}
