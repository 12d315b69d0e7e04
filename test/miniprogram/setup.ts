// simulator setup: filled in by the mini program harness
