//! What a job process measures about itself: its peak resident set, and the CPU time of
//! one synchronous step on the calling thread.

use std::time::Duration;

/// The process's peak resident set size so far, in bytes (`None` where the platform does
/// not say).
///
/// On Linux this is `VmHWM` of `/proc/self/status`: the high-water mark of this process's
/// own memory. `getrusage`'s `ru_maxrss` is not: a child starts from the resident set of the
/// process that forked it and keeps that peak through `exec`, so every job spawned by the
/// bench (whose simulator holds the whole org) reported at least the bench's own size —
/// 198 MB for a job of 26 requests, 362 MB for the plan after apply, when the simulator
/// had grown by the applied org.
pub fn peak_rss_bytes() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        high_water_mark(&status)
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        use nix::sys::resource::{UsageWho, getrusage};
        let usage = getrusage(UsageWho::RUSAGE_SELF).ok()?;
        // macOS reports bytes (Linux would say kilobytes, but reads `VmHWM` above).
        u64::try_from(usage.max_rss()).ok()
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// `VmHWM:  12345 kB` of a `/proc/<pid>/status` text, in bytes.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn high_water_mark(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let kilobytes = line.trim().strip_suffix("kB")?.trim().parse::<u64>().ok()?;
    kilobytes.checked_mul(1024)
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

    #[test]
    fn the_high_water_mark_is_read_in_bytes() {
        let status =
            "Name:\tswitchboard\nVmPeak:\t  900000 kB\nVmHWM:\t   13620 kB\nVmRSS:\t 1 kB\n";
        assert_eq!(high_water_mark(status), Some(13_620 * 1024));
        assert_eq!(high_water_mark("VmRSS:\t 1 kB\n"), None);
        assert_eq!(high_water_mark("VmHWM:\t lots\n"), None);
    }

    /// Set in the child of the test below: it prints its own peak and exits.
    const CHILD: &str = "SWITCHBOARD_BENCH_PEAK_CHILD";

    #[cfg(target_os = "linux")]
    #[test]
    fn a_process_spawned_by_a_large_one_reports_its_own_peak() {
        if std::env::var_os(CHILD).is_some() {
            println!("peak={}", peak_rss_bytes().unwrap());
            return;
        }
        // The parent grows to 512 MB (touched), then runs this same test in a child.
        let block = vec![1u8; 512 * 1024 * 1024];
        std::hint::black_box(&block);
        let output = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "measure::tests::a_process_spawned_by_a_large_one_reports_its_own_peak",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let peak: u64 = stdout
            .lines()
            .find_map(|l| l.split_once("peak=").map(|(_, peak)| peak.trim()))
            .unwrap_or_else(|| panic!("the child printed no peak: {stdout}"))
            .parse()
            .unwrap();
        assert!(
            peak < 256 * 1024 * 1024,
            "the child reported {peak} bytes: its parent's size, not its own"
        );
        drop(block);
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
