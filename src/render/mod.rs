//! Presentation: every table, summary and plot (Markdown, CSV, LaTeX, JSON for screens,
//! SVG). Nothing below this layer formats text for people.

pub mod arcs_plot;
pub mod descend;
pub mod identify;
pub mod ladder;
pub mod report;
pub mod summary;
pub mod sweep;
