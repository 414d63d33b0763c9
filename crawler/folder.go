package crawler

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/compoundwatch/compoundwatch/config"
)

// crawlFolder publishes the new and changed .txt, .html and .pdf files
// of a folder source. Files are recognised as unchanged by size and
// modification time, then by content hash.
func (c *Crawler) crawlFolder(ctx context.Context, src config.Source) (Summary, error) {
	var sum Summary
	log := c.log.With("source", src.Name)
	err := filepath.WalkDir(src.Path, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			sum.Failed = append(sum.Failed, Failure{URL: path, Reason: err.Error()})
			log.Warn("folder", "path", path, "err", err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if d.IsDir() {
			if path != src.Path && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".txt", ".html", ".htm", ".pdf":
		default:
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		var fst fileState
		if ok, _ := c.store.get(ctx, fileKey(path), &fst); ok && fst.Size == info.Size() && fst.ModTime.Equal(info.ModTime()) {
			sum.Unchanged++
			return nil
		}
		raw, err := c.extract.ReadFile(ctx, path)
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			sum.Failed = append(sum.Failed, Failure{URL: path, Reason: err.Error()})
			log.Warn("file skipped", "path", path, "reason", err)
			return nil
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
		raw.Finalize()
		pub, err := c.publish(ctx, &raw)
		if err != nil {
			return err
		}
		if pub {
			sum.Published++
		} else {
			sum.Unchanged++
		}
		return c.store.put(ctx, fileKey(path), fileState{Path: path, Size: info.Size(), ModTime: info.ModTime(), ContentHash: raw.ContentHash})
	})
	return sum, err
}
