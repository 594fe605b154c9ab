package jsonscan

import (
	"strings"
	"testing"
)

// BenchmarkString reads string tokens of the kinds histories hold: prose,
// JSON escaped into a string (tool arguments and results), either beyond
// ASCII, and short names.
func BenchmarkString(b *testing.B) {
	kinds := []struct{ name, s string }{
		{"prose", `"Your order 1000 is in transit with DHL. The last scan was on Monday; the expected delivery date is 21 November. I will keep an eye on it."`},
		{"escaped-json", `"{\"status\": \"in_transit\", \"carrier\": \"DHL\", \"last_scan\": \"2026-11-10T09:00:00Z\", \"eta\": \"2026-11-21\"}"`},
		{"non-ascii", `"Votre commande n° 1000 est en route avec DHL. Le dernier scan date de lundi ; la livraison prévue est le 21 novembre. Je m’en occupe. 您的订单正在运输中。"`},
		{"escaped-non-ascii", `"{\"statut\": \"en transit\", \"transporteur\": \"DHL\", \"note\": \"livraison prévue le 21 novembre, n° 1000\", \"备注\": \"运输中\"}"`},
		{"short", `"assistant"`},
	}
	for _, k := range kinds {
		data := []byte(strings.Repeat(k.s+",", 16))
		b.Run(k.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				for i := 0; i < len(data); {
					end, _, _, ok := String(data, i+1)
					if !ok {
						b.Fatal("not a string")
					}
					i = end + 2
				}
			}
		})
	}
}
