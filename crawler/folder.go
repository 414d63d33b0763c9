package crawler

import (
	"context"
	"errors"
	"os"

	"github.com/compoundwatch/compoundwatch/config"
	"github.com/compoundwatch/compoundwatch/content"
)

// crawlFolder publishes the new and changed files of a folder source
// (the files content.Collect finds, as ingest does). Files are recognised
// as unchanged by size and modification time, then by content hash.
func (c *Crawler) crawlFolder(ctx context.Context, src config.Source) (Summary, error) {
	var sum Summary
	log := c.log.With("source", src.Name)
	files := content.Collect([]string{src.Path}, func(err error) {
		sum.Failed = append(sum.Failed, Failure{URL: src.Path, Reason: err.Error()})
		log.Warn("folder", "err", err)
	})
	for _, path := range files {
		if ctx.Err() != nil {
			return sum, ctx.Err()
		}
		info, err := os.Stat(path)
		if err != nil {
			sum.Failed = append(sum.Failed, Failure{URL: path, Reason: err.Error()})
			continue
		}
		var fst fileState
		if ok, _ := c.store.get(ctx, fileKey(path), &fst); ok && fst.Size == info.Size() && fst.ModTime.Equal(info.ModTime()) {
			sum.Unchanged++
			continue
		}
		raw, err := c.extract.ReadFile(ctx, path)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return sum, err
			}
			sum.Failed = append(sum.Failed, Failure{URL: path, Reason: err.Error()})
			log.Warn("file skipped", "path", path, "reason", err)
			continue
		}
		sum.Fetched++
		sum.Bytes += info.Size()
		sum.Documents++
		if src.Tags.Outlet != "" && raw.Outlet == "" {
			raw.Outlet = src.Tags.Outlet
		}
		if raw.Country == "" {
			raw.Country = src.Tags.Country
		}
		if raw.Language == "" {
			raw.Language = src.Tags.Language
		}
		raw.Tags = map[string]string{"source": src.Name}
		pub, err := c.bus.PublishRaw(ctx, &raw)
		if err != nil {
			return sum, err
		}
		if pub {
			sum.Published++
		} else {
			sum.Unchanged++
		}
		if err := c.store.put(ctx, fileKey(path), fileState{Path: path, Size: info.Size(), ModTime: info.ModTime(), ContentHash: raw.ContentHash}); err != nil {
			return sum, err
		}
	}
	return sum, nil
}
