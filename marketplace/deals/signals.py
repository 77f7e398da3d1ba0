"""What the deal pipeline tells other features, after the change is committed (reports, statistics, feeds
listen; deals import none of them)."""
from blinker import Namespace

_signals = Namespace()

# sender: the Deal; keyword arguments from_stage, to_stage and actor. Sent after the commit of a stage move,
# the completion (to_stage "completed") and a cancellation (to_stage "cancelled").
deal_stage_changed = _signals.signal("deal-stage-changed")
