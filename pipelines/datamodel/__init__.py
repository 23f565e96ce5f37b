"""The shapes every stage of the pipeline shares."""
