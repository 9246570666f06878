//! What a job process measures about itself: its peak resident set, and the CPU time of
//! one synchronous step on the calling thread.

use std::time::Duration;

/// The process's peak resident set size so far, in bytes (`None` where the platform does
/// not say).
pub fn peak_rss_bytes() -> Option<u64> {
    #[cfg(unix)]
    {
        use nix::sys::resource::{UsageWho, getrusage};
        let usage = getrusage(UsageWho::RUSAGE_SELF).ok()?;
        let max = u64::try_from(usage.max_rss()).ok()?;
        // Linux reports kilobytes, macOS bytes.
        if cfg!(target_os = "macos") {
            Some(max)
        } else {
            Some(max.saturating_mul(1024))
        }
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The CPU time the calling thread has used so far (`None` where the platform does not
/// say).
fn thread_cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        use nix::time::{ClockId, clock_gettime};
        let spec = clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID).ok()?;
        let secs = u64::try_from(spec.tv_sec()).ok()?;
        let nanos = u32::try_from(spec.tv_nsec()).ok()?;
        Some(Duration::new(secs, nanos))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Runs `work` on this thread and answers its result with the CPU time it took (thread
/// CPU time, so time spent waiting or on other threads is not counted).
pub fn cpu_timed<T>(work: impl FnOnce() -> T) -> (T, Option<Duration>) {
    let before = thread_cpu_time();
    let result = work();
    let after = thread_cpu_time();
    let spent = before.zip(after).map(|(b, a)| a.saturating_sub(b));
    (result, spent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_busy_loop_costs_cpu_time_and_a_sleep_does_not() {
        let (_, busy) = cpu_timed(|| {
            let mut x = 0u64;
            for i in 0..20_000_000u64 {
                x = std::hint::black_box(x.wrapping_add(i * i));
            }
            x
        });
        let (_, asleep) = cpu_timed(|| std::thread::sleep(Duration::from_millis(200)));
        let (busy, asleep) = (busy.unwrap(), asleep.unwrap());
        assert!(busy > Duration::from_millis(1), "{busy:?}");
        assert!(asleep < Duration::from_millis(50), "{asleep:?}");
    }

    #[cfg(unix)]
    #[test]
    fn the_peak_resident_set_grows_with_a_touched_allocation() {
        let before = peak_rss_bytes().unwrap();
        // Bigger than the peak so far (which a freed block may have set), all touched.
        let size = usize::try_from(before).unwrap() + 32 * 1024 * 1024;
        let block = vec![1u8; size];
        std::hint::black_box(&block);
        let after = peak_rss_bytes().unwrap();
        assert!(after >= before + 16 * 1024 * 1024, "{before} → {after}");
    }
}
