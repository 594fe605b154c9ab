//go:build race

package emulator

// raceEnabled says the race detector is on: memory figures are then
// several times larger and say nothing about the server.
const raceEnabled = true
