//! kehoach: runs a communications office's yearly information and
//! communication plan. Each feature folder (accounts, units, plans) owns its
//! routes, forms, queries and templates; `web` and `db` serve them all.

pub mod accounts;
pub mod app;
pub mod audit;
pub mod awards;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contests;
pub mod db;
pub mod demo;
pub mod error;
pub mod generate;
pub mod mail;
pub mod plans;
pub mod search;
pub mod serve;
pub mod session;
pub mod state;
pub mod text;
pub mod tracking;
pub mod units;
pub mod web;
