// Tandem's stand-in for mediasoup's libsrtp3 <srtp.h>: the libsrtp 3 calls the mediasoup worker makes,
// implemented on top of Debian's libsrtp2 (2.5.x). Written for the Tandem build; C++ only.
//
// What differs from libsrtp 2 and how it is bridged:
// - srtp_policy_t is an opaque handle built with srtp_policy_create()/set_*()/add_key() instead of a
//   struct the caller fills in. Here it owns a libsrtp2 policy plus a copy of key||salt.
// - protect/unprotect take size_t lengths and a separate output buffer whose capacity is passed in
//   *out_len. libsrtp2 works in place with int lengths, so the input is copied to the output buffer
//   first and the call is made there.
// - srtp_stream_remove() is libsrtp2's srtp_remove_stream().
// Limits: one master key per policy, no MKI (mki_len must be 0, mki_index must be 0), no cryptex
// (RFC 9335) header encryption. mediasoup 3.27 uses none of these.
#ifndef TANDEM_SRTP3_ON_SRTP2_H
#define TANDEM_SRTP3_ON_SRTP2_H

#ifndef __cplusplus
#error "Tandem's libsrtp3 shim is C++ only (it overloads libsrtp2 functions)"
#endif

#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

// libsrtp2 names its policy struct srtp_policy_t; libsrtp3 uses that name for the opaque handle.
// Renaming the type (not any function) while including keeps libsrtp2's ABI and symbols intact.
#define srtp_policy_t tandem_srtp2_policy_t
#include <srtp2/srtp.h>
#undef srtp_policy_t

// Error codes libsrtp3 added after libsrtp2's last one (srtp_err_status_pkt_idx_adv = 27).
inline constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err  = static_cast<srtp_err_status_t>(29);

struct tandem_srtp_policy
{
	tandem_srtp2_policy_t policy;
	unsigned char key[SRTP_MAX_KEY_LEN];
	size_t keyLen;
	size_t saltLen;
	bool hasProfile;
	bool hasKey;
};

typedef tandem_srtp_policy* srtp_policy_t;

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* policy)
{
	if (!policy)
		return srtp_err_status_bad_param;

	auto* p = new (std::nothrow) tandem_srtp_policy;

	if (!p)
		return srtp_err_status_alloc_fail;

	std::memset(p, 0, sizeof(*p));
	*policy = p;

	return srtp_err_status_ok;
}

inline void srtp_policy_destroy(srtp_policy_t policy)
{
	if (policy)
	{
		// Do not leave key material behind in freed memory.
		std::memset(policy->key, 0, sizeof(policy->key));
		delete policy;
	}
}

inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc)
{
	if (!policy)
		return srtp_err_status_bad_param;

	policy->policy.ssrc = ssrc;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile)
{
	if (!policy)
		return srtp_err_status_bad_param;

	srtp_err_status_t err =
	  srtp_crypto_policy_set_from_profile_for_rtp(&policy->policy.rtp, profile);

	if (err != srtp_err_status_ok)
		return err;

	err = srtp_crypto_policy_set_from_profile_for_rtcp(&policy->policy.rtcp, profile);

	if (err != srtp_err_status_ok)
		return err;

	policy->hasProfile = true;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_add_key(
  srtp_policy_t policy,
  const uint8_t* key,
  size_t key_len,
  const uint8_t* salt,
  size_t salt_len,
  const uint8_t* /*mki*/,
  size_t mki_len)
{
	if (!policy || !key || (salt_len > 0 && !salt))
		return srtp_err_status_bad_param;

	// libsrtp2 could do MKI and several keys, but mediasoup never asks for them; keep this small.
	if (mki_len != 0 || policy->hasKey)
		return srtp_err_status_bad_param;

	if (key_len + salt_len > sizeof(policy->key))
		return srtp_err_status_bad_param;

	// libsrtp2 wants master key and master salt concatenated in one buffer.
	std::memcpy(policy->key, key, key_len);

	if (salt_len > 0)
		std::memcpy(policy->key + key_len, salt, salt_len);

	policy->keyLen  = key_len;
	policy->saltLen = salt_len;
	policy->hasKey  = true;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow)
{
	if (!policy)
		return srtp_err_status_bad_param;

	policy->policy.allow_repeat_tx = allow ? 1 : 0;

	return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t policy, size_t window_size)
{
	// libsrtp2 accepts 64 .. 0x7fff (checked again by srtp_create()).
	if (!policy || window_size < 64 || window_size >= 0x8000)
		return srtp_err_status_bad_param;

	policy->policy.window_size = static_cast<unsigned long>(window_size);

	return srtp_err_status_ok;
}

// Overload of libsrtp2's srtp_create(srtp_t*, const tandem_srtp2_policy_t*).
inline srtp_err_status_t srtp_create(srtp_t* session, srtp_policy_t policy)
{
	if (!session || !policy || !policy->hasProfile || !policy->hasKey)
		return srtp_err_status_bad_param;

	// The crypto policy's key length counts the salt too.
	if (policy->keyLen + policy->saltLen != static_cast<size_t>(policy->policy.rtp.cipher_key_len))
		return srtp_err_status_bad_param;

	policy->policy.key  = policy->key;
	policy->policy.next = nullptr;

	// libsrtp2 derives the session keys here and keeps no pointer to the master key or the policy.
	return srtp_create(session, &policy->policy);
}

inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
	// Both take the SSRC in network byte order.
	return srtp_remove_stream(session, ssrc);
}

namespace tandem_srtp3_shim
{
	using InPlaceFn = srtp_err_status_t (*)(srtp_t, void*, int*);

	// Copies |in| to |out| (when they differ) and runs the in-place libsrtp2 function there.
	// |needed| is the room the libsrtp2 function may use beyond the input length.
	inline srtp_err_status_t run(
	  InPlaceFn fn,
	  srtp_t ctx,
	  const uint8_t* in,
	  size_t inLen,
	  uint8_t* out,
	  size_t* outLen,
	  size_t needed)
	{
		if (!ctx || !in || !out || !outLen)
			return srtp_err_status_bad_param;

		if (inLen > static_cast<size_t>(INT_MAX) - needed)
			return srtp_err_status_bad_param;

		if (*outLen < inLen + needed)
			return srtp_err_status_buffer_small;

		if (out != in)
			std::memmove(out, in, inLen);

		int len = static_cast<int>(inLen);

		const srtp_err_status_t err = fn(ctx, out, &len);

		if (err == srtp_err_status_ok)
			*outLen = static_cast<size_t>(len);

		return err;
	}
} // namespace tandem_srtp3_shim

inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtp_len, uint8_t* srtp, size_t* srtp_len, size_t mki_index)
{
	if (mki_index != 0)
		return srtp_err_status_bad_mki;

	// libsrtp2 may append up to SRTP_MAX_TRAILER_LEN bytes (auth tag + MKI).
	return tandem_srtp3_shim::run(
	  static_cast<tandem_srtp3_shim::InPlaceFn>(&srtp_protect),
	  ctx,
	  rtp,
	  rtp_len,
	  srtp,
	  srtp_len,
	  SRTP_MAX_TRAILER_LEN);
}

inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtp_len, uint8_t* rtp, size_t* rtp_len)
{
	return tandem_srtp3_shim::run(
	  static_cast<tandem_srtp3_shim::InPlaceFn>(&srtp_unprotect), ctx, srtp, srtp_len, rtp, rtp_len, 0);
}

inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcp_len, uint8_t* srtcp, size_t* srtcp_len, size_t mki_index)
{
	if (mki_index != 0)
		return srtp_err_status_bad_mki;

	// SRTCP adds the 4-byte E flag + index word before the trailer.
	return tandem_srtp3_shim::run(
	  static_cast<tandem_srtp3_shim::InPlaceFn>(&srtp_protect_rtcp),
	  ctx,
	  rtcp,
	  rtcp_len,
	  srtcp,
	  srtcp_len,
	  SRTP_MAX_TRAILER_LEN + 4);
}

inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcp_len, uint8_t* rtcp, size_t* rtcp_len)
{
	return tandem_srtp3_shim::run(
	  static_cast<tandem_srtp3_shim::InPlaceFn>(&srtp_unprotect_rtcp),
	  ctx,
	  srtcp,
	  srtcp_len,
	  rtcp,
	  rtcp_len,
	  0);
}

#endif
