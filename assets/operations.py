"""Operating policies shared by every asset: who owns it, and how transient failures are retried."""

import dagster as dg

# Shown on every asset in the UI; the people to ask about the data.
OWNERS = ("team:data-engineering",)

# For steps that touch the outside world (reading sources, writing the warehouse file): a
# locked file, a full disk being cleared or a flaky network usually pass within minutes.
TRANSIENT_RETRY = dg.RetryPolicy(
    max_retries=3, delay=10, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


def owned(spec: dg.AssetSpec) -> dg.AssetSpec:
    """The asset with the default owners, unless it names its own."""
    return spec if spec.owners else spec.replace_attributes(owners=list(OWNERS))
