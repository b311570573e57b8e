# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the host tests; sourced. Each test prints
# "ok N - desc" / "not ok N - desc", then tap_done prints the plan and
# "N passed, N failed" and sets the exit status.
n=0
passed=0
failed=0

# result STATUS DESC [LOG]: print a TAP line; on failure show LOG's tail.
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		if [ -n "${3:-}" ] && [ -s "$3" ]; then
			tail -n 20 "$3" | sed 's/^/#   /'
		fi
	fi
}

# expect_rc LOG GOT WANT: the exit status must be WANT.
expect_rc() {
	if [ "$2" != "$3" ]; then
		echo "exit status $2, expected $3" >>"$1"
		return 1
	fi
}

# expect_grep LOG PATTERN: LOG must contain PATTERN (extended regexp).
expect_grep() {
	if ! grep -Eq -- "$2" "$1"; then
		echo "output lacks /$2/" >>"$1"
		return 1
	fi
}

tap_done() {
	echo "1..$n"
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
