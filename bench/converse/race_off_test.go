//go:build !race

package converse

const raceEnabled = false
