#!/usr/bin/perl
# net_probe.pl: one socket operation, for net_test.  Prints what the
# kernel made of it and exits 0, or prints "error: ERRNO-NAME" and exits 1.
#
#   tcp-bind ADDR PORT		bind, listen; print the local address
#   tcp-serve ADDR PORT		bind, listen, accept one; print the peer
#   tcp-listen-only PORT	listen without bind (the kernel binds the
#				wildcard); accept one; print the peer
#   tcp-connect ADDR PORT	connect; print the local address
#   udp-bind ADDR PORT		bind; print the local address
#   udp-recv ADDR PORT		bind, receive one datagram; print the sender
#   udp-connect ADDR PORT	connect, send; print the local address
#   udp-sendto ADDR PORT	unconnected send; print the local address
#   unix-listen NAME		abstract unix socket "\0NAME": accept one
#   unix-connect NAME		connect to it
#   socket FAMILY		socket(inet|inet6, SOCK_STREAM) only
use strict;
use warnings;
use Socket qw(:all);
use Errno;

$| = 1;
my ($op, @a) = @ARGV;
# Nothing here waits long: a dropped packet shows as a timeout.
$SIG{ALRM} = sub { print "error: ETIMEDOUT\n"; exit 1; };
alarm($ENV{PROBE_TIMEOUT} || 5);

sub fail {
	my $e = $!{EPERM} ? "EPERM" : $!{EACCES} ? "EACCES" :
	    $!{EADDRNOTAVAIL} ? "EADDRNOTAVAIL" : $!{ECONNREFUSED} ?
	    "ECONNREFUSED" : $!{EAFNOSUPPORT} ? "EAFNOSUPPORT" :
	    $!{ETIMEDOUT} ? "ETIMEDOUT" : $!{ENETUNREACH} ? "ENETUNREACH" :
	    $!{EPROTONOSUPPORT} ? "EPROTONOSUPPORT" : "$!";
	print "error: $e\n";
	exit 1;
}

sub sa {
	my ($addr, $port) = @_;
	if ($addr =~ /:/) {
		my $n = inet_pton(AF_INET6, $addr) or die "bad address $addr";
		return (AF_INET6, pack_sockaddr_in6($port, $n));
	}
	my $n = inet_pton(AF_INET, $addr) or die "bad address $addr";
	return (AF_INET, pack_sockaddr_in($port, $n));
}

sub str {
	my ($sa) = @_;
	my $fam = sockaddr_family($sa);
	if ($fam == AF_INET6) {
		my ($port, $a) = unpack_sockaddr_in6($sa);
		return inet_ntop(AF_INET6, $a);
	}
	my ($port, $a) = unpack_sockaddr_in($sa);
	return inet_ntop(AF_INET, $a);
}

sub sock {
	my ($fam, $type) = @_;
	socket(my $s, $fam, $type, 0) or fail();
	setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1);
	return $s;
}

if ($op eq 'socket') {
	my $s = sock($a[0] eq 'inet6' ? AF_INET6 : AF_INET, SOCK_STREAM);
	print "ok\n";
} elsif ($op =~ /^(tcp|udp)-(bind|serve|recv)$/) {
	my ($fam, $sa) = sa(@a);
	my $s = sock($fam, $1 eq 'tcp' ? SOCK_STREAM : SOCK_DGRAM);
	bind($s, $sa) or fail();
	if ($op eq 'tcp-bind' || $op eq 'tcp-serve') {
		listen($s, 5) or fail();
	}
	if ($op eq 'tcp-serve') {
		print "listening ", str(getsockname($s)), "\n";
		my $peer = accept(my $c, $s) or fail();
		print "peer ", str($peer), "\n";
	} elsif ($op eq 'udp-recv') {
		print "listening ", str(getsockname($s)), "\n";
		my $peer = recv($s, my $buf, 100, 0);
		defined $peer or fail();
		print "peer ", str($peer), "\n";
	} else {
		print "bound ", str(getsockname($s)), "\n";
	}
} elsif ($op eq 'tcp-listen-only') {
	my $s = sock($a[1] && $a[1] eq '6' ? AF_INET6 : AF_INET, SOCK_STREAM);
	listen($s, 5) or fail();
	my ($port) = $a[1] && $a[1] eq '6' ? unpack_sockaddr_in6(getsockname($s)) :
	    unpack_sockaddr_in(getsockname($s));
	open(my $f, '>', $a[0]) or die; print $f "$port\n"; close $f;
	my $peer = accept(my $c, $s) or fail();
	print "peer ", str($peer), "\n";
} elsif ($op =~ /^(tcp|udp)-(connect|sendto)$/) {
	my ($fam, $sa) = sa(@a);
	my $s = sock($fam, $1 eq 'tcp' ? SOCK_STREAM : SOCK_DGRAM);
	if ($op eq 'udp-sendto') {
		defined(send($s, "x", 0, $sa)) or fail();
	} else {
		connect($s, $sa) or fail();
		send($s, "x", 0) if $op eq 'udp-connect';
	}
	print "local ", str(getsockname($s)), "\n";
} elsif ($op eq 'unix-listen') {
	socket(my $s, AF_UNIX, SOCK_STREAM, 0) or fail();
	bind($s, pack_sockaddr_un("\0$a[0]")) or fail();
	listen($s, 5) or fail();
	print "listening\n";
	accept(my $c, $s) or fail();
	print "accepted\n";
} elsif ($op eq 'unix-connect') {
	socket(my $s, AF_UNIX, SOCK_STREAM, 0) or fail();
	connect($s, pack_sockaddr_un("\0$a[0]")) or fail();
	print "connected\n";
} else {
	die "net_probe.pl: unknown operation $op\n";
}
exit 0;
