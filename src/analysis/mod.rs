//! Explainable writing-process analysis: measures, flags with reasons, summary.
