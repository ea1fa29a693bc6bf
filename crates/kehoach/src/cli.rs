//! The one binary and its subcommands.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Flags, Settings};
use crate::db::Db;

#[derive(Parser)]
#[command(
    name = "kehoach",
    version,
    about = "Kế hoạch thông tin, tuyên truyền: nhập, giao và theo dõi nhiệm vụ"
)]
pub struct Cli {
    /// Configuration file (TOML); environment variables override it.
    #[arg(long, global = true, env = "KEHOACH_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web application.
    Serve {
        /// Load the demo directory, users and the seed plan into an empty database.
        #[arg(long)]
        demo: bool,
        #[arg(long)]
        bind: Option<String>,
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
    /// Plan documents.
    Plan {
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// The unit directory.
    Unit {
        #[command(subcommand)]
        command: UnitCommand,
    },
    /// Accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Demo data.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// Reports of a reporting period.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Send the report reminders that are due (also done hourly by `serve`).
    Remind {
        /// The day to act as today (YYYY-MM-DD); default: today in Vietnam.
        #[arg(long)]
        today: Option<String>,
    },
    /// Knowledge contests.
    Contest {
        #[command(subcommand)]
        command: ContestCommand,
    },
    /// Juried competitions (press award, creative contests).
    Award {
        #[command(subcommand)]
        command: AwardCommand,
    },
    /// The effective settings (defaults, file, environment, flags).
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// The database.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the settings in effect, as TOML, with passwords masked.
    Show,
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Print a plan document's structure without touching a database.
    Parse {
        file: PathBuf,
        /// Print the structure as JSON (docs/plan-json.md).
        #[arg(long)]
        json: bool,
    },
    /// Import a plan document (.txt or .docx) as a draft.
    Import {
        file: PathBuf,
        /// Publish it right away, handing its duties to the units.
        #[arg(long)]
        publish: bool,
    },
}

#[derive(Subcommand)]
enum UnitCommand {
    /// Load units from CSV: name,short_name,parent,aliases,groups.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from KEHOACH_PASSWORD or standard input.
    Add {
        username: String,
        #[arg(long)]
        name: String,
        /// admin, coordinator or member.
        #[arg(long, default_value = "member")]
        role: String,
        /// Unit names (as in the directory) for a member; repeatable.
        #[arg(long = "unit")]
        units: Vec<String>,
        /// Where reminders are e-mailed.
        #[arg(long, default_value = "")]
        email: String,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Fill the database with a province-scale dataset (on top of the demo data).
    Generate {
        #[arg(long, default_value_t = 300)]
        units: i64,
        #[arg(long, default_value_t = 5)]
        plans: i64,
        #[arg(long, default_value_t = 200_000)]
        activities: i64,
        /// Quarterly periods per plan (at most 4).
        #[arg(long, default_value_t = 4)]
        periods: i64,
    },
}

#[derive(Subcommand)]
enum AwardCommand {
    /// Check the sealed score logs: every row's keyed hash, the sheets the
    /// log replays to against those stored, the derived totals, the locked
    /// settings and each round's seal. Exits with an error if any round
    /// fails.
    Verify {
        /// One round; default: every sealed round.
        #[arg(long)]
        round: Option<i64>,
        /// Minutes (.docx) whose printed seals must match rounds that
        /// check out.
        #[arg(long)]
        minutes: Option<PathBuf>,
    },
    /// Benchmark: a synthetic edition of accepted entries and judges with
    /// conflicts; times opening the preliminary round (automatic
    /// assignment) and computing its results.
    Synthetic {
        #[arg(long, default_value_t = 2500)]
        entries: usize,
        #[arg(long, default_value_t = 60)]
        judges: usize,
    },
}

#[derive(Subcommand)]
enum ContestCommand {
    /// Rank a closed round and store the proposed winners (as the office's button does).
    Rank {
        #[arg(long)]
        round: i64,
    },
    /// Benchmark data: an open contest, participants and started attempts,
    /// with participants.txt and submit.txt for the load generator.
    LoadTestData {
        #[arg(long, default_value_t = 100_000)]
        participants: usize,
        #[arg(long, default_value_t = 700_000)]
        attempts: usize,
        #[arg(long)]
        out: PathBuf,
    },
    /// A closed round filled with synthetic submissions, for the ranking benchmark.
    SyntheticRound {
        #[arg(long, default_value_t = 1_000_000)]
        submissions: usize,
        #[arg(long, default_value_t = 300_000)]
        participants: usize,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// Write the province's summary report (.docx, Party format) or the statistics workbook (.xlsx).
    Export {
        #[arg(long)]
        plan: i64,
        #[arg(long)]
        period: i64,
        #[arg(long, value_parser = ["docx", "xlsx"])]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Create or bring the schema up to date.
    Migrate,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        // Colour codes only for a terminal; log files and pipes get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("lỗi: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(settings: &Settings) -> anyhow::Result<Db> {
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    Db::open(&settings.database_url(), 8).await
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let flags = match &cli.command {
        Command::Serve { bind, data_dir, .. } => Flags {
            bind: bind.clone(),
            data_dir: data_dir.clone(),
        },
        _ => Flags::default(),
    };
    let settings = Settings::load_with(cli.config.as_deref(), &flags)?;
    match cli.command {
        Command::Serve { demo, .. } => crate::serve::serve(settings, demo).await,
        Command::Config {
            command: ConfigCommand::Show,
        } => {
            print!("{}", settings.show());
            Ok(())
        }
        Command::Plan {
            command: PlanCommand::Parse { file, json },
        } => {
            let bytes = std::fs::read(&file)?;
            let doc = kehoach_plan::parse_bytes(&bytes)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&doc)?);
            } else {
                print_summary(&doc);
            }
            Ok(())
        }
        Command::Plan {
            command: PlanCommand::Import { file, publish },
        } => {
            let db = open(&settings).await?;
            let bytes = std::fs::read(&file)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let started = std::time::Instant::now();
            let id = crate::plans::import_bytes(&db, None, &name, &bytes).await?;
            let elapsed = started.elapsed();
            if publish {
                crate::plans::repo::publish(&db, None, id).await?;
                println!(
                    "Đã nhập và ban hành kế hoạch #{id} trong {:.1} ms.",
                    elapsed.as_secs_f64() * 1000.0
                );
            } else {
                println!(
                    "Đã nhập kế hoạch #{id} (bản nháp) trong {:.1} ms.",
                    elapsed.as_secs_f64() * 1000.0
                );
            }
            Ok(())
        }
        Command::Unit {
            command: UnitCommand::Import { file },
        } => {
            let db = open(&settings).await?;
            let bytes = std::fs::read(&file)?;
            let rows = crate::units::csv_import::parse(&bytes)
                .map_err(|e| anyhow::anyhow!(crate::units::csv_import::ImportError::Rows(e)))?;
            let s = crate::units::csv_import::store(&db, None, &rows).await?;
            println!("Đã nạp {} đơn vị, {} khối đơn vị.", s.units, s.groups);
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    name,
                    role,
                    units,
                    email,
                },
        } => {
            let db = open(&settings).await?;
            let password = match std::env::var("KEHOACH_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let id = crate::demo::add_user(&db, &username, &name, &password, &role, &units, &email)
                .await?;
            println!("Đã tạo tài khoản {username} (#{id}).");
            Ok(())
        }
        Command::Report {
            command:
                ReportCommand::Export {
                    plan,
                    period,
                    format,
                    out,
                },
        } => {
            let db = open(&settings).await?;
            let found = crate::tracking::repo::period(&db, period).await?;
            if found.is_none_or(|p| p.plan_id != plan) {
                anyhow::bail!("kế hoạch #{plan} không có kỳ báo cáo #{period}");
            }
            let tr = crate::web::Tr::default();
            let started = std::time::Instant::now();
            let bytes = match format.as_str() {
                "docx" => {
                    let (head, body) = crate::tracking::export::draft(&db, tr, period)
                        .await
                        .map_err(app_error)?;
                    crate::tracking::export::docx(&db, period, head, &body)
                        .await
                        .map_err(app_error)?
                }
                _ => crate::tracking::export::xlsx(&db, tr, period)
                    .await
                    .map_err(app_error)?,
            };
            std::fs::write(&out, &bytes)?;
            println!(
                "Đã ghi {} ({} byte) trong {:.0} ms.",
                out.display(),
                bytes.len(),
                started.elapsed().as_secs_f64() * 1000.0
            );
            Ok(())
        }
        Command::Demo {
            command:
                DemoCommand::Generate {
                    units,
                    plans,
                    activities,
                    periods,
                },
        } => {
            let db = open(&settings).await?;
            let scale = crate::generate::Scale {
                units,
                plans,
                activities,
                periods: periods.clamp(0, 4),
            };
            crate::generate::run(&db, &scale).await
        }
        Command::Remind { today } => {
            let db = open(&settings).await?;
            let today = today.unwrap_or_else(crate::web::dates::today_iso);
            let mailer = crate::mail::Mailer::from_settings(&settings)?;
            let sent =
                crate::tracking::reminders::run(&db, &mailer, &today, settings.reminder_days)
                    .await?;
            println!("Đã gửi {} thông báo, {} thư.", sent.notices, sent.emails);
            Ok(())
        }
        Command::Contest { command } => contest(&settings, command).await,
        Command::Award {
            command: AwardCommand::Verify { round, minutes },
        } => {
            let db = open(&settings).await?;
            crate::awards::rounds::verify_all(&db, &settings, round, minutes.as_deref()).await
        }
        Command::Award {
            command: AwardCommand::Synthetic { entries, judges },
        } => {
            let db = open(&settings).await?;
            let key = crate::awards::seal_key::load(&settings)?;
            let run = crate::awards::loadgen::synthetic(&db, &key, entries, judges).await?;
            println!(
                "entries={} judges={} pairs={} shortfalls={} assign_ms={:.2} open_ms={:.1} \
                 sheets={} ranked={} results_load_ms={:.1} results_compute_ms={:.2} \
                 results_store_ms={:.1} results_ms={:.1}",
                run.open.entries,
                run.open.judges,
                run.open.pairs,
                run.open.shortfalls,
                run.open.assign_ms,
                run.open_ms,
                run.results.sheets,
                run.results.ranked,
                run.results.load_ms,
                run.results.compute_ms,
                run.results.store_ms,
                run.results_ms,
            );
            Ok(())
        }
        Command::Db {
            command: DbCommand::Migrate,
        } => {
            open(&settings).await?;
            println!("Cơ sở dữ liệu đã ở phiên bản mới nhất.");
            Ok(())
        }
    }
}

fn app_error(e: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

fn print_summary(doc: &kehoach_plan::PlanDocument) {
    println!("{} {}", doc.kind, doc.title);
    if let Some(n) = &doc.number {
        println!("Số: {n}");
    }
    println!(
        "{} mục, {} nội dung, {} nhiệm vụ, {} văn bản dẫn chiếu, {} nơi nhận, {} cảnh báo",
        doc.sections.len(),
        doc.themes.len(),
        doc.duties.len(),
        doc.references.len(),
        doc.recipients.len(),
        doc.warnings.len()
    );
    for w in &doc.warnings {
        println!(
            "  cảnh báo (dòng {}): {}",
            w.line.map(|l| l.to_string()).unwrap_or("-".into()),
            w.message
        );
    }
}

async fn contest(settings: &Settings, command: ContestCommand) -> anyhow::Result<()> {
    let db = open(settings).await?;
    match command {
        ContestCommand::Rank { round } => {
            let contest_id = crate::contests::repo::round_contest(&db, round)
                .await?
                .ok_or_else(|| anyhow::anyhow!("không có vòng thi {round}"))?;
            let contest = crate::contests::repo::contest(&db, contest_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("không có cuộc thi {contest_id}"))?;
            let row = crate::contests::repo::round(&db, contest_id, round)
                .await?
                .ok_or_else(|| anyhow::anyhow!("không có vòng thi {round}"))?;
            if row.is_published() {
                anyhow::bail!("kết quả vòng {round} đã công bố");
            }
            if !row.is_rankable(&crate::clock::now()) {
                anyhow::bail!("vòng {round} chưa đóng (hoặc còn trong 30 giây gia hạn nộp bài)");
            }
            let run = crate::contests::results::rank_round_batch(&db, None, &contest, &row).await?;
            println!(
                "submissions={} participants={} load_ms={} rank_ms={} store_ms={} total_ms={}",
                run.submissions,
                run.participants,
                run.load_ms,
                run.rank_ms,
                run.store_ms,
                run.total_ms
            );
            Ok(())
        }
        ContestCommand::LoadTestData {
            participants,
            attempts,
            out,
        } => {
            // The demo's directory and accounts, if the database is empty.
            crate::demo::load(&db).await?;
            let key = crate::db::secret(&db, "contest_tokens").await?;
            let signer = crate::contests::token::Signer::new(key.as_bytes());
            let files = crate::contests::loadgen::load_test_data(
                &db,
                &signer,
                participants,
                attempts,
                &out,
            )
            .await?;
            println!("contest={} round={}", files.contest, files.round);
            Ok(())
        }
        ContestCommand::SyntheticRound {
            submissions,
            participants,
        } => {
            crate::demo::load(&db).await?;
            let (contest, round) =
                crate::contests::loadgen::synthetic_round(&db, submissions, participants).await?;
            println!("contest={contest} round={round}");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
