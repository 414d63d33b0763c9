package extractor

import "github.com/compoundwatch/compoundwatch/document"

// findEntities is replaced by the gazetteer matcher and discovery.
func (x *Extractor) findEntities(text string) []document.Entity {
	return x.gaz.Find(text)
}
