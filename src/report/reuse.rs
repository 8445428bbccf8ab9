//! Renderers for reuse reports.
