package extractor

import "github.com/compoundwatch/compoundwatch/document"

func findEvents(text, published string, entities []document.Entity) []document.Event { return nil }
