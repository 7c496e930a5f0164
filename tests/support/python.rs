//! Python's openpyxl for tests: files made by a real third-party writer.
//! Installed with pip into the test build's own folder when missing.

use super::show;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// The PYTHONPATH that makes `import openpyxl` work (`None`: it already does),
/// installing openpyxl into CARGO_TARGET_TMPDIR/pydeps once for all tests.
pub fn openpyxl_path() -> Option<PathBuf> {
    static PATH: OnceLock<Result<Option<PathBuf>, String>> = OnceLock::new();
    PATH.get_or_init(|| installed("openpyxl", "openpyxl==3.1.5"))
        .clone()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The PYTHONPATH that makes `import MODULE` work for a pinned PyPI
/// package, installed with pip into CARGO_TARGET_TMPDIR/pydeps when missing.
fn installed(module: &str, package: &str) -> Result<Option<PathBuf>, String> {
    let deps = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pydeps");
    let imports = |path: Option<&Path>| {
        let mut cmd = Command::new("python3");
        cmd.args(["-c", &format!("import {module}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(p) = path {
            cmd.env("PYTHONPATH", python_path(p));
        }
        cmd.status().is_ok_and(|s| s.success())
    };
    if imports(None) {
        return Ok(None);
    }
    if imports(Some(&deps)) {
        return Ok(Some(deps));
    }
    let how = format!(
        "install it with `python3 -m pip install {package}`, or let the test install it into {} \
         by giving it network access to PyPI",
        deps.display()
    );
    let out = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
        ])
        .arg(&deps)
        .arg(package)
        .output()
        .map_err(|e| {
            format!(
                "these tests need python3 with {module}, and python3 cannot be run ({e}): {how}"
            )
        })?;
    if !out.status.success() {
        return Err(format!(
            "these tests need Python's {module}, and `python3 -m pip install --target {} {package}` failed: {how}\n{}",
            deps.display(),
            show(&out)
        ));
    }
    if !imports(Some(&deps)) {
        return Err(format!(
            "pip installed {package} into {} but python3 cannot import it: {how}",
            deps.display()
        ));
    }
    Ok(Some(deps))
}

/// Runs a Python script (its text) with `package` (PyPI name, pinned)
/// importable as `module`; `args` follow the script.
pub fn run_with(module: &str, package: &str, script: &str, args: &[&str]) {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // One pip at a time into the shared folder.
    let path = {
        let _one = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        installed(module, package).unwrap_or_else(|e| panic!("{e}"))
    };
    let mut cmd = Command::new("python3");
    cmd.arg("-c").arg(script).args(args);
    if let Some(p) = path {
        cmd.env("PYTHONPATH", python_path(&p));
    }
    let out = cmd.output().expect("python3 runs");
    assert!(
        out.status.success(),
        "the {module} script failed:\n{}",
        show(&out)
    );
}

/// `dir` ahead of any PYTHONPATH already set.
pub fn python_path(dir: &Path) -> std::ffi::OsString {
    let mut parts = vec![dir.to_path_buf()];
    if let Some(old) = std::env::var_os("PYTHONPATH") {
        parts.extend(std::env::split_paths(&old));
    }
    std::env::join_paths(parts).expect("a usable PYTHONPATH")
}

/// Runs a Python script (its text) with openpyxl importable; `args` follow it.
pub fn run_openpyxl(script: &str, args: &[&str]) {
    let mut cmd = Command::new("python3");
    cmd.arg("-c").arg(script).args(args);
    if let Some(p) = openpyxl_path() {
        cmd.env("PYTHONPATH", python_path(&p));
    }
    let out = cmd.output().expect("python3 runs");
    assert!(
        out.status.success(),
        "the openpyxl script failed:\n{}",
        show(&out)
    );
}

/// Fills an `ahq template` workbook with openpyxl, as a person would
/// (tests/tools/fill_template.py; `spec` is its JSON), into `out`.
pub fn fill_template(template: &Path, out: &Path, spec: &str) {
    let mut cmd = Command::new("python3");
    cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/fill_template.py"))
        .arg(template)
        .arg(out)
        .arg(spec);
    if let Some(p) = openpyxl_path() {
        cmd.env("PYTHONPATH", python_path(&p));
    }
    let result = cmd.output().expect("python3 runs");
    assert!(
        result.status.success(),
        "fill_template.py failed:\n{}",
        show(&result)
    );
}
