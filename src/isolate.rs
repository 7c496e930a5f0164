//! Reading each response in a separate process, with a memory and a time
//! limit.
//!
//! The guards in the core's guards refuse the blow-ups we know of before a
//! reader sees the bytes; this is for the ones we do not. A small file can
//! still make a spreadsheet reader build gigabytes (a shared string copied
//! into a million cells) or loop for ever. In a worker process under
//! `RLIMIT_AS`, such a file ends the worker, not the run: that one file gets
//! a message saying which limit it hit, a new worker takes the next file.
//!
//! Workers are `ahq __read` (hidden), kept and reused: each request is a
//! line (`{"len", "format", "limits"}`) followed by the file's `len` bytes,
//! as the main process read them (a file is read once: what is hashed is
//! what is read); one reply per line on stdout, of at most
//! [`MAX_REPLY_BYTES`](ahq_core::reading::MAX_REPLY_BYTES).

use ahq_core::reading::{Cell, Format, Limits, ReadElsewhere, ReadError, Sheet, Workbook};
use ahq_core::record::{Finding, Location, Severity};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Read;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// How workers are started and limited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isolation {
    /// The `ahq` executable (its hidden `__read` command is the worker).
    pub program: PathBuf,
    /// Address space a worker may use, in bytes.
    pub max_memory: u64,
    /// Time a worker may take over one file.
    pub max_seconds: u64,
}

#[derive(Serialize, Deserialize)]
struct Request {
    /// How many bytes of the file follow the request's line.
    len: u64,
    format: Format,
    limits: Limits,
}

#[derive(Serialize, Deserialize)]
enum Reply {
    Read(WireWorkbook),
    /// The message, and the reader's technical detail.
    Refused(String, Option<String>),
}

#[derive(Serialize, Deserialize)]
struct WireWorkbook {
    format: Format,
    sheets: Vec<WireSheet>,
    notes: Vec<WireNote>,
    modified: Option<String>,
    ahq_meta: Option<HashMap<String, String>>,
    asides: Vec<ahq_core::reading::asides::Aside>,
}

#[derive(Serialize, Deserialize)]
struct WireSheet {
    name: String,
    visible: bool,
    part: ahq_core::reading::Part,
    cells: Vec<WireCell>,
}

/// A cell on the wire, as a JSON array (row, col, text, error, hidden,
/// formula, merged from, heading): field names per cell would double a
/// large reply.
#[derive(Serialize, Deserialize)]
struct WireCell(
    u32,
    u32,
    String,
    bool,
    bool,
    Option<String>,
    Option<(u32, u32)>,
    bool,
);

#[derive(Serialize, Deserialize)]
struct WireNote {
    severity: Severity,
    message: String,
    location: Option<(Option<String>, u32, u32)>,
}

impl From<&Workbook> for WireWorkbook {
    fn from(wb: &Workbook) -> Self {
        WireWorkbook {
            format: wb.format,
            sheets: wb
                .sheets
                .iter()
                .map(|s| WireSheet {
                    name: s.name.clone(),
                    visible: s.visible,
                    part: s.part,
                    cells: s
                        .cells()
                        .iter()
                        .map(|c| {
                            WireCell(
                                c.row,
                                c.col,
                                c.text.clone(),
                                c.error,
                                c.hidden,
                                c.formula.clone(),
                                c.merged_from,
                                c.heading,
                            )
                        })
                        .collect(),
                })
                .collect(),
            notes: wb
                .notes
                .iter()
                .map(|n| WireNote {
                    severity: n.severity,
                    message: n.message.clone(),
                    location: n.location.as_ref().map(|l| (l.sheet.clone(), l.row, l.col)),
                })
                .collect(),
            modified: wb.modified.clone(),
            ahq_meta: wb.ahq_meta.clone(),
            asides: wb.asides.clone(),
        }
    }
}

impl From<WireWorkbook> for Workbook {
    fn from(w: WireWorkbook) -> Self {
        Workbook {
            format: w.format,
            sheets: w
                .sheets
                .into_iter()
                .map(|s| {
                    let cells = s
                        .cells
                        .into_iter()
                        .map(
                            |WireCell(
                                row,
                                col,
                                text,
                                error,
                                hidden,
                                formula,
                                merged_from,
                                heading,
                            )| Cell {
                                row,
                                col,
                                text,
                                error,
                                hidden,
                                formula,
                                merged_from,
                                split_from: None,
                                heading,
                            },
                        )
                        .collect();
                    Sheet::new(s.name, s.visible, cells).in_word(s.part)
                })
                .collect(),
            notes: w
                .notes
                .into_iter()
                .map(|n| Finding {
                    severity: n.severity,
                    message: n.message,
                    location: n
                        .location
                        .map(|(sheet, row, col)| Location::new(sheet.as_deref(), row, col)),
                })
                .collect(),
            modified: w.modified,
            ahq_meta: w.ahq_meta,
            asides: w.asides,
        }
    }
}

/// The worker's loop (`ahq __read`): read, reply, until stdin closes.
pub fn serve() -> std::io::Result<()> {
    let mut stdin = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    let mut line = String::new();
    loop {
        line.clear();
        if stdin.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let reply = match serde_json::from_str::<Request>(&line) {
            Ok(req) if req.len <= req.limits.max_file_bytes => {
                let mut bytes = vec![0; req.len as usize];
                stdin.read_exact(&mut bytes)?;
                match ahq_core::reading::read_bytes(&bytes, req.format, &req.limits) {
                    Ok(wb) => Reply::Read(WireWorkbook::from(&wb)),
                    Err(e) => Reply::Refused(e.to_string(), e.detail().map(str::to_string)),
                }
            }
            Ok(_) => return Ok(()), // not from this program: stop
            Err(e) => Reply::Refused(format!("bad request to the reader: {e}"), None),
        };
        let mut encoded = serde_json::to_vec(&reply)?;
        if encoded.len() as u64 > ahq_core::reading::MAX_REPLY_BYTES {
            encoded = serde_json::to_vec(&Reply::Refused(
                ReadError::TooMuchText {
                    limit: ahq_core::reading::MAX_REPLY_BYTES,
                }
                .to_string(),
                None,
            ))?;
        }
        encoded.push(b'\n');
        out.write_all(&encoded)?;
        out.flush()?;
    }
}

struct Worker {
    child: Arc<Mutex<Child>>,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    watch: Arc<Watch>,
}

/// What the worker's watchdog sees: when the request in hand was sent
/// (milliseconds since the worker started; 0 when none is), and whether the
/// worker is done for.
struct Watch {
    busy_since: AtomicU64,
    closed: std::sync::atomic::AtomicBool,
    /// Set by the watchdog, under the child's lock, when it kills the worker.
    fired: std::sync::atomic::AtomicBool,
    start: std::time::Instant,
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.watch.closed.store(true, Ordering::SeqCst);
    }
}

impl Worker {
    fn start(iso: &Isolation) -> std::io::Result<Worker> {
        let mut cmd = Command::new(&iso.program);
        cmd.arg("__read")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Not read: how a worker ended is told by its signal, and a pipe
            // nobody drains could block a worker that writes much to it.
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            let limit = iso.max_memory;
            // SAFETY: setrlimit is async-signal-safe; nothing else runs
            // between fork and exec.
            unsafe {
                cmd.pre_exec(move || {
                    // The compile's signal thread takes SIGINT and SIGTERM; a
                    // reader ends on them as any process does.
                    let mut set: libc::sigset_t = std::mem::zeroed();
                    libc::sigemptyset(&mut set);
                    libc::pthread_sigmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
                    let r = libc::rlimit {
                        rlim_cur: limit as libc::rlim_t,
                        rlim_max: limit as libc::rlim_t,
                    };
                    if libc::setrlimit(libc::RLIMIT_AS, &r) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn()?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::new(child.stdout.take().expect("piped"));
        let child = Arc::new(Mutex::new(child));
        let watch = Arc::new(Watch {
            busy_since: AtomicU64::new(0),
            closed: std::sync::atomic::AtomicBool::new(false),
            fired: std::sync::atomic::AtomicBool::new(false),
            start: std::time::Instant::now(),
        });
        // One watchdog per worker: it kills a worker that holds a file too long.
        let (w, c, limit_ms) = (watch.clone(), child.clone(), iso.max_seconds * 1000);
        std::thread::spawn(move || {
            while !w.closed.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50));
                let late = |w: &Watch| {
                    let since = w.busy_since.load(Ordering::SeqCst);
                    let now = w.start.elapsed().as_millis() as u64;
                    since > 0 && now.saturating_sub(since) > limit_ms
                };
                if late(&w) {
                    // Decided again under the lock the reader takes to mark
                    // the file done: a file answered in time is never blamed.
                    let Ok(mut child) = c.lock() else { return };
                    if late(&w) {
                        w.fired.store(true, Ordering::SeqCst);
                        let _ = child.kill();
                        return;
                    }
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            stdout,
            watch,
        })
    }

    /// Sends one request; `Err` when the worker ended (it is then not reused).
    fn ask(&mut self, req: &Request, bytes: &[u8], iso: &Isolation) -> Result<Reply, ReadError> {
        let mut line = serde_json::to_vec(req).map_err(|e| ReadError::ReaderFailed {
            detail: e.to_string(),
        })?;
        line.push(b'\n');
        let now = self.watch.start.elapsed().as_millis() as u64;
        self.watch.busy_since.store(now.max(1), Ordering::SeqCst);
        // The reply is read within its bound: a worker cannot make this
        // process hold more than MAX_REPLY_BYTES for one file.
        let mut reply = Vec::new();
        let ok = self.stdin.write_all(&line).is_ok()
            && self.stdin.write_all(bytes).is_ok()
            && self.stdin.flush().is_ok()
            && (&mut self.stdout)
                .take(ahq_core::reading::MAX_REPLY_BYTES + 2)
                .read_until(b'\n', &mut reply)
                .is_ok_and(|n| n > 0 && reply.ends_with(b"\n"));
        {
            let _held = self.child.lock().unwrap_or_else(|e| e.into_inner());
            self.watch.busy_since.store(0, Ordering::SeqCst);
        }
        if ok
            && !self.watch.fired.load(Ordering::SeqCst)
            && let Ok(r) = serde_json::from_slice::<Reply>(&reply)
        {
            return Ok(r);
        }
        Err(self.ended(iso))
    }

    /// Why the worker ended: the watchdog's flag for time; an abort or a
    /// kill by the system (an allocation refused under the limit, the kernel
    /// out of memory) for memory; anything else, a reader failure.
    fn ended(&mut self, iso: &Isolation) -> ReadError {
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        // A worker that closed its output is ending: give it a moment to be
        // reaped before calling it stuck.
        let mut status = None;
        for _ in 0..100 {
            if let Ok(Some(s)) = child.try_wait() {
                status = Some(s);
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if status.is_none() && !self.watch.fired.load(Ordering::SeqCst) {
            let _ = child.kill();
            let _ = child.wait();
            return ReadError::ReaderFailed {
                detail: "the reading process stopped answering".into(),
            };
        }
        if status.is_none() {
            let _ = child.kill();
            status = child.wait().ok();
        }
        if self.watch.fired.load(Ordering::SeqCst) {
            return ReadError::ReaderTime {
                seconds: iso.max_seconds,
            };
        }
        #[cfg(unix)]
        let memory = {
            use std::os::unix::process::ExitStatusExt;
            matches!(
                status.and_then(|s| s.signal()),
                Some(libc::SIGABRT | libc::SIGKILL | libc::SIGSEGV | libc::SIGBUS)
            )
        };
        #[cfg(not(unix))]
        let memory = false;
        if memory {
            ReadError::ReaderMemory {
                mib: iso.max_memory / (1024 * 1024),
            }
        } else {
            ReadError::ReaderFailed {
                detail: match status {
                    Some(s) => format!("the reading process ended with {s}"),
                    None => "the reading process could not be waited for".into(),
                },
            }
        }
    }
}

/// Workers to reuse, started as needed (one per thread reading at a time).
struct Pool {
    idle: Mutex<Vec<Worker>>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool {
        idle: Mutex::new(Vec::new()),
    })
}

impl ReadElsewhere for Isolation {
    fn read(&self, bytes: &[u8], format: Format, limits: &Limits) -> Result<Workbook, ReadError> {
        read(bytes, format, limits, self)
    }
}

/// Reads a response's bytes in a worker process.
pub fn read(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    iso: &Isolation,
) -> Result<Workbook, ReadError> {
    let taken = pool().idle.lock().ok().and_then(|mut v| v.pop());
    let mut worker = match taken {
        Some(w) => w,
        None => Worker::start(iso).map_err(|e| ReadError::ReaderFailed {
            detail: format!("the reading process could not start: {e}"),
        })?,
    };
    let req = Request {
        len: bytes.len() as u64,
        format,
        limits: Limits {
            isolation: None,
            ..limits.clone()
        },
    };
    let reply = worker.ask(&req, bytes, iso)?;
    // Back to the pool only if still alive: a worker that died after its
    // reply must not make the next file look guilty.
    let alive = worker
        .child
        .lock()
        .is_ok_and(|mut c| matches!(c.try_wait(), Ok(None)));
    if alive && let Ok(mut idle) = pool().idle.lock() {
        idle.push(worker);
    }
    match reply {
        Reply::Read(wb) => Ok(wb.into()),
        Reply::Refused(message, detail) => Err(ReadError::Reported { message, detail }),
    }
}

/// Starts workers now, up to `n` idle ones: a worker takes milliseconds to
/// be ready, which the first files read would otherwise wait for. One that
/// cannot start is started again, and its error said, when a file needs it.
pub fn prestart(iso: &Isolation, n: usize) {
    let Ok(mut idle) = pool().idle.lock() else {
        return;
    };
    while idle.len() < n {
        match Worker::start(iso) {
            Ok(w) => idle.push(w),
            Err(_) => return,
        }
    }
}

/// Ends the idle workers and waits for them (at the end of a run), so that
/// no process outlives the command and their time and memory are counted.
pub fn shutdown() {
    let workers: Vec<Worker> = pool()
        .idle
        .lock()
        .map(|mut v| v.drain(..).collect())
        .unwrap_or_default();
    for w in workers {
        let child = w.child.clone();
        // Dropping the worker closes its stdin: it finishes and exits.
        drop(w);
        if let Ok(mut c) = child.lock() {
            let _ = c.wait();
        }
    }
}
