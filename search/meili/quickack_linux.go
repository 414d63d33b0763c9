package meili

import (
	"net"
	"syscall"
)

// quickAckConn acknowledges every read at once. Meilisearch writes a
// response in more than one segment with Nagle's algorithm on, so a client
// that delays its ACK (Linux does, for up to 40ms) stalls on every
// response larger than a few kilobytes: that turned 1ms searches into
// 45ms ones.
type quickAckConn struct {
	net.Conn
	raw syscall.RawConn
}

func quickAck(c net.Conn) net.Conn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return c
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return c
	}
	qc := &quickAckConn{Conn: c, raw: raw}
	qc.set()
	return qc
}

func (c *quickAckConn) set() {
	_ = c.raw.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
}

func (c *quickAckConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.set()
	return n, err
}
