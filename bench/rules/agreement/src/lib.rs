//! The agreement fixture of the benchmark: the cases the two compared rules are about, checked by
//! stratalint, ast-grep and semgrep (bench/rules/). Each line says who flags it: `all` = the three
//! tools; `ast-grep+semgrep` = the pattern tools only (a trap stratalint sees through);
//! `stratalint+semgrep` = needs the `use` imports followed (ast-grep does not); `none`. Library
//! code in the corpus has few or none of these, so this is where the rules are shown to agree.

use sqlx::query;
use std::thread;
use std::thread::sleep as nap;
use std::time::Duration;

pub async fn a(pool: &sqlx::PgPool, name: &str) {
    std::thread::sleep(Duration::from_millis(1)); // all
    thread::sleep(Duration::from_millis(1)); // all
    let sql = format!("SELECT * FROM t WHERE n = '{name}'");
    sqlx::query(&sql).execute(pool).await.unwrap(); // all
    let _ = sqlx::query(&format!("DELETE FROM t WHERE n = '{name}'")); // all
    let _ = sqlx::query_as::<_, (i32,)>(format!("SELECT {name}").as_str()); // all
    tokio::task::spawn_blocking(move || std::thread::sleep(Duration::from_millis(1))); // none
    let f = || thread::sleep(Duration::from_millis(1)); // all (a closure in async code)
    f();
}

pub async fn b() -> i32 {
    std::thread::sleep(Duration::from_millis(1)); // all
    tokio::spawn(async move { std::thread::sleep(Duration::from_millis(1)) }); // all
    1
}

pub fn sync_fn() {
    std::thread::sleep(Duration::from_millis(1)); // none
    let _ = async { std::thread::sleep(Duration::from_millis(1)) }; // all
}

pub struct S;

impl S {
    pub async fn m(&self) {
        std::thread::sleep(Duration::from_millis(1)); // all
    }
}

#[tokio::main]
async fn main() {
    std::thread::sleep(Duration::from_millis(1)); // none (startup)
    tokio::spawn(async { std::thread::sleep(Duration::from_millis(1)) }); // all (a task)
}

pub async fn c(pool: &sqlx::PgPool) {
    sqlx::query("SELECT 1").execute(pool).await.unwrap(); // none
    let n = 3;
    let q = format!("SELECT {n}");
    sqlx::query(&q).execute(pool).await.unwrap(); // ast-grep+semgrep (a constant is interpolated)
}

pub async fn d(pool: &sqlx::PgPool, name: &str) {
    let mut q: String = format!("SELECT {name}");
    q.push_str(" LIMIT 1");
    let _ = sqlx::query_scalar::<_, i64>(&*q); // all
    let q2 = format!("SELECT {name}");
    query(&q2).execute(pool).await.unwrap(); // stratalint+semgrep (`query` is sqlx's, imported)
    nap(Duration::from_millis(1)); // stratalint+semgrep (`nap` is std::thread::sleep, renamed)
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn t() {
        std::thread::sleep(std::time::Duration::from_millis(1)); // none (test code)
    }
}
