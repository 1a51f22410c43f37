"""Help for anyone, with or without an account: the assistant (answers from the FAQ), feedback
routed to the right desk of the right office, and news."""
