// Tandem's stand-in for <ankerl/unordered_dense.h> (not packaged in Debian bookworm), written for the
// Tandem build of the mediasoup worker. It provides the part of that library's interface the worker
// uses: ankerl::unordered_dense::{hash, map, set}.
//
// Behaviour kept from the original design because callers may rely on it:
// - Values live contiguously in a std::vector in insertion order; iteration follows that order
//   (mediasoup lists DTLS fingerprints in the order its tables were written).
// - erase() moves the last value into the erased slot (so order changes only on erase) and returns
//   an iterator to that same slot, so `it = m.erase(it)` loops work.
// - value_type of a map is std::pair<Key, T> (non-const key); iterators are vector iterators and are
//   invalidated by insertion, like the original.
// Not provided: segmented containers, pmr aliases, custom bucket types, erase_if.
// The index is open addressing with linear probing and backward-shift deletion.
#ifndef TANDEM_ANKERL_UNORDERED_DENSE_SUBSET_H
#define TANDEM_ANKERL_UNORDERED_DENSE_SUBSET_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace ankerl::unordered_dense
{
	inline namespace tandem_subset_v1
	{
		namespace detail
		{
			// splitmix64 finaliser: a full-avalanche 64-bit mixer.
			inline uint64_t mix(uint64_t x) noexcept
			{
				x ^= x >> 30;
				x *= 0xbf58476d1ce4e5b9ULL;
				x ^= x >> 27;
				x *= 0x94d049bb133111ebULL;
				x ^= x >> 31;

				return x;
			}

			inline uint64_t hash_bytes(const void* data, size_t len) noexcept
			{
				const auto* p = static_cast<const unsigned char*>(data);
				uint64_t h    = 0x9e3779b97f4a7c15ULL ^ (static_cast<uint64_t>(len) * 0xc2b2ae3d27d4eb4fULL);

				while (len >= 8)
				{
					uint64_t word;
					std::memcpy(&word, p, 8);
					h = mix(h ^ word);
					p += 8;
					len -= 8;
				}

				if (len > 0)
				{
					uint64_t word = 0;
					std::memcpy(&word, p, len);
					h = mix(h ^ word ^ (static_cast<uint64_t>(len) << 59));
				}

				return mix(h);
			}

			template<class H, class = void>
			struct is_avalanching : std::false_type
			{
			};

			template<class H>
			struct is_avalanching<H, std::void_t<typename H::is_avalanching>> : std::true_type
			{
			};

			template<class H, class = void>
			struct is_transparent : std::false_type
			{
			};

			template<class H>
			struct is_transparent<H, std::void_t<typename H::is_transparent>> : std::true_type
			{
			};
		} // namespace detail

		// Generic case: defer to std::hash (its result is mixed again by the tables).
		template<class T, class Enable = void>
		struct hash
		{
			uint64_t operator()(const T& obj) const noexcept(noexcept(std::declval<std::hash<T>>()(obj)))
			{
				return static_cast<uint64_t>(std::hash<T>{}(obj));
			}
		};

		template<class T>
		struct hash<T, std::enable_if_t<std::is_integral_v<T> || std::is_enum_v<T>>>
		{
			using is_avalanching = void;

			uint64_t operator()(const T& obj) const noexcept
			{
				if constexpr (std::is_enum_v<T>)
				{
					return detail::mix(static_cast<uint64_t>(static_cast<std::underlying_type_t<T>>(obj)));
				}
				else
				{
					return detail::mix(static_cast<uint64_t>(obj));
				}
			}
		};

		template<class T>
		struct hash<T*>
		{
			using is_avalanching = void;

			uint64_t operator()(T* ptr) const noexcept
			{
				return detail::mix(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(ptr)));
			}
		};

		template<class CharT>
		struct hash<std::basic_string<CharT>>
		{
			using is_avalanching = void;

			uint64_t operator()(const std::basic_string<CharT>& str) const noexcept
			{
				return detail::hash_bytes(str.data(), sizeof(CharT) * str.size());
			}
		};

		template<class CharT>
		struct hash<std::basic_string_view<CharT>>
		{
			using is_avalanching = void;

			uint64_t operator()(const std::basic_string_view<CharT>& sv) const noexcept
			{
				return detail::hash_bytes(sv.data(), sizeof(CharT) * sv.size());
			}
		};

		namespace detail
		{
			// T = void makes a set.
			template<class Key, class T, class Hash, class KeyEqual, class Allocator>
			class table
			{
				static constexpr bool IsMap = !std::is_void_v<T>;

			public:
				using key_type             = Key;
				using mapped_type          = T;
				using value_type           = std::conditional_t<IsMap, std::pair<Key, T>, Key>;
				using value_container_type = std::vector<value_type, Allocator>;
				using size_type            = size_t;
				using difference_type      = std::ptrdiff_t;
				using hasher               = Hash;
				using key_equal            = KeyEqual;
				using allocator_type       = Allocator;
				using reference            = value_type&;
				using const_reference      = const value_type&;
				using pointer              = value_type*;
				using const_pointer        = const value_type*;
				using const_iterator       = typename value_container_type::const_iterator;
				// Keys of a set must not be changed through an iterator.
				using iterator = std::conditional_t<IsMap, typename value_container_type::iterator, const_iterator>;

			private:
				struct Bucket
				{
					uint32_t hash;      // folded hash; its low bits pick the home bucket
					uint32_t slotPlus1; // index into slots + 1; 0 = empty
				};

				static constexpr size_t NoBucket{ static_cast<size_t>(-1) };
				static constexpr size_t MinBuckets{ 8 };
				// Grow when size > buckets * 4/5.
				static constexpr size_t LoadNum{ 4 };
				static constexpr size_t LoadDen{ 5 };

				value_container_type slots;
				std::vector<Bucket> buckets;
				size_t mask{ 0 };
				Hash hashFn{};
				KeyEqual equalFn{};

				static const Key& KeyOf(const value_type& v) noexcept
				{
					if constexpr (IsMap)
					{
						return v.first;
					}
					else
					{
						return v;
					}
				}

				template<class K>
				uint32_t HashOf(const K& key) const
				{
					uint64_t h = static_cast<uint64_t>(hashFn(key));

					if constexpr (!is_avalanching<Hash>::value)
					{
						h = mix(h);
					}

					return static_cast<uint32_t>(h ^ (h >> 32));
				}

				size_t Next(size_t i) const noexcept
				{
					return (i + 1) & this->mask;
				}

				template<class K>
				size_t FindBucket(const K& key, uint32_t h) const
				{
					if (this->buckets.empty())
					{
						return NoBucket;
					}

					for (size_t i = h & this->mask;; i = Next(i))
					{
						const Bucket& b = this->buckets[i];

						if (b.slotPlus1 == 0)
						{
							return NoBucket;
						}

						if (b.hash == h && this->equalFn(KeyOf(this->slots[b.slotPlus1 - 1]), key))
						{
							return i;
						}
					}
				}

				// The bucket holding a given slot (the slot must be indexed).
				size_t BucketOfSlot(size_t slot) const
				{
					const uint32_t h = HashOf(KeyOf(this->slots[slot]));

					for (size_t i = h & this->mask;; i = Next(i))
					{
						if (this->buckets[i].slotPlus1 == slot + 1)
						{
							return i;
						}
					}
				}

				void Place(uint32_t h, size_t slot)
				{
					size_t i = h & this->mask;

					while (this->buckets[i].slotPlus1 != 0)
					{
						i = Next(i);
					}

					this->buckets[i] = Bucket{ h, static_cast<uint32_t>(slot + 1) };
				}

				void Rebuild(size_t bucketCount)
				{
					std::vector<Bucket> old;

					old.swap(this->buckets);
					this->buckets.assign(bucketCount, Bucket{ 0, 0 });
					this->mask = bucketCount - 1;

					for (const Bucket& b : old)
					{
						if (b.slotPlus1 != 0)
						{
							Place(b.hash, b.slotPlus1 - 1);
						}
					}
				}

				static size_t BucketsFor(size_t count)
				{
					size_t n = MinBuckets;

					while (n * LoadNum / LoadDen < count)
					{
						n *= 2;
					}

					return n;
				}

				// Makes room for |count| indexed values.
				void EnsureCapacity(size_t count)
				{
					if (count > static_cast<size_t>(UINT32_MAX) - 1)
					{
						throw std::length_error("ankerl::unordered_dense (Tandem subset): too many elements");
					}

					if (this->buckets.empty() || count > this->buckets.size() * LoadNum / LoadDen)
					{
						Rebuild(BucketsFor(count));
					}
				}

				// Indexes values.back(), which the caller just appended and knows to be new.
				void IndexLast(uint32_t h)
				{
					try
					{
						EnsureCapacity(this->slots.size());
					}
					catch (...)
					{
						this->slots.pop_back();
						throw;
					}

					Place(h, this->slots.size() - 1);
				}

				// Removes the value indexed by bucket |pos|; returns its former slot.
				size_t EraseBucket(size_t pos)
				{
					const size_t slot = this->buckets[pos].slotPlus1 - 1;

					// Backward-shift deletion keeps every probe chain free of holes.
					size_t hole = pos;

					for (size_t j = Next(pos);; j = Next(j))
					{
						const Bucket b = this->buckets[j];

						if (b.slotPlus1 == 0)
						{
							break;
						}

						const size_t home = b.hash & this->mask;
						// b may stay only if its home lies cyclically in (hole, j].
						const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);

						if (!stays)
						{
							this->buckets[hole] = b;
							hole                = j;
						}
					}

					this->buckets[hole] = Bucket{ 0, 0 };

					// Fill the slot with the last value so values stay contiguous.
					const size_t last = this->slots.size() - 1;

					if (slot != last)
					{
						const size_t lastBucket          = BucketOfSlot(last);
						this->slots[slot]               = std::move(this->slots[last]);
						this->buckets[lastBucket].slotPlus1 = static_cast<uint32_t>(slot + 1);
					}

					this->slots.pop_back();

					return slot;
				}

				template<class K>
				static constexpr bool IsHeterogeneous =
				  is_transparent<Hash>::value && is_transparent<KeyEqual>::value &&
				  !std::is_convertible_v<K, const_iterator> && !std::is_convertible_v<K, iterator>;

				template<class K, class... Args>
				std::pair<iterator, bool> DoTryEmplace(K&& key, Args&&... args)
				{
					const uint32_t h   = HashOf(key);
					const size_t found = FindBucket(key, h);

					if (found != NoBucket)
					{
						return { begin() + (this->buckets[found].slotPlus1 - 1), false };
					}

					this->slots.emplace_back(
					  std::piecewise_construct,
					  std::forward_as_tuple(std::forward<K>(key)),
					  std::forward_as_tuple(std::forward<Args>(args)...));
					IndexLast(h);

					return { begin() + (this->slots.size() - 1), true };
				}

				template<class K, class M>
				std::pair<iterator, bool> DoInsertOrAssign(K&& key, M&& obj)
				{
					auto result = DoTryEmplace(std::forward<K>(key), std::forward<M>(obj));

					if (!result.second)
					{
						result.first->second = std::forward<M>(obj);
					}

					return result;
				}

			public:
				table() = default;

				explicit table(
				  size_t bucketCount,
				  const Hash& hash         = Hash(),
				  const KeyEqual& equal    = KeyEqual(),
				  const Allocator& alloc   = Allocator())
				  : slots(alloc), hashFn(hash), equalFn(equal)
				{
					if (bucketCount > 0)
					{
						reserve(bucketCount);
					}
				}

				explicit table(const Allocator& alloc) : slots(alloc)
				{
				}

				template<class InputIt>
				table(
				  InputIt first,
				  InputIt last,
				  size_t bucketCount       = 0,
				  const Hash& hash         = Hash(),
				  const KeyEqual& equal    = KeyEqual(),
				  const Allocator& alloc   = Allocator())
				  : table(bucketCount, hash, equal, alloc)
				{
					insert(first, last);
				}

				table(
				  std::initializer_list<value_type> init,
				  size_t bucketCount       = 0,
				  const Hash& hash         = Hash(),
				  const KeyEqual& equal    = KeyEqual(),
				  const Allocator& alloc   = Allocator())
				  : table(bucketCount, hash, equal, alloc)
				{
					insert(init);
				}

				table(const table&)            = default;
				table(table&&) noexcept        = default;
				table& operator=(const table&) = default;
				table& operator=(table&&) noexcept = default;

				table& operator=(std::initializer_list<value_type> init)
				{
					clear();
					insert(init);

					return *this;
				}

				allocator_type get_allocator() const noexcept
				{
					return this->slots.get_allocator();
				}

				// Iterators.

				iterator begin() noexcept
				{
					return this->slots.begin();
				}
				const_iterator begin() const noexcept
				{
					return this->slots.begin();
				}
				const_iterator cbegin() const noexcept
				{
					return this->slots.cbegin();
				}
				iterator end() noexcept
				{
					return this->slots.end();
				}
				const_iterator end() const noexcept
				{
					return this->slots.end();
				}
				const_iterator cend() const noexcept
				{
					return this->slots.cend();
				}

				// Capacity.

				[[nodiscard]] bool empty() const noexcept
				{
					return this->slots.empty();
				}
				size_t size() const noexcept
				{
					return this->slots.size();
				}
				static constexpr size_t max_size() noexcept
				{
					return static_cast<size_t>(UINT32_MAX) - 1;
				}

				// Modifiers.

				void clear() noexcept
				{
					this->slots.clear();
					std::fill(this->buckets.begin(), this->buckets.end(), Bucket{ 0, 0 });
				}

				std::pair<iterator, bool> insert(const value_type& value)
				{
					return emplace(value);
				}

				std::pair<iterator, bool> insert(value_type&& value)
				{
					return emplace(std::move(value));
				}

				template<
				  class P,
				  class Q = T,
				  std::enable_if_t<!std::is_void_v<Q> && std::is_constructible_v<value_type, P&&>, bool> = true>
				std::pair<iterator, bool> insert(P&& value)
				{
					return emplace(std::forward<P>(value));
				}

				iterator insert(const_iterator /*hint*/, const value_type& value)
				{
					return emplace(value).first;
				}

				iterator insert(const_iterator /*hint*/, value_type&& value)
				{
					return emplace(std::move(value)).first;
				}

				template<class InputIt>
				void insert(InputIt first, InputIt last)
				{
					for (; first != last; ++first)
					{
						emplace(*first);
					}
				}

				void insert(std::initializer_list<value_type> init)
				{
					insert(init.begin(), init.end());
				}

				template<class... Args>
				std::pair<iterator, bool> emplace(Args&&... args)
				{
					// Build the value first (its key may come from any constructor), then look it up.
					this->slots.emplace_back(std::forward<Args>(args)...);

					const uint32_t h   = HashOf(KeyOf(this->slots.back()));
					const size_t found = FindBucket(KeyOf(this->slots.back()), h);

					if (found != NoBucket)
					{
						this->slots.pop_back();

						return { begin() + (this->buckets[found].slotPlus1 - 1), false };
					}

					IndexLast(h);

					return { begin() + (this->slots.size() - 1), true };
				}

				template<class... Args>
				iterator emplace_hint(const_iterator /*hint*/, Args&&... args)
				{
					return emplace(std::forward<Args>(args)...).first;
				}

				template<class... Args, class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				std::pair<iterator, bool> try_emplace(const Key& key, Args&&... args)
				{
					return DoTryEmplace(key, std::forward<Args>(args)...);
				}

				template<class... Args, class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				std::pair<iterator, bool> try_emplace(Key&& key, Args&&... args)
				{
					return DoTryEmplace(std::move(key), std::forward<Args>(args)...);
				}

				template<class... Args, class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				iterator try_emplace(const_iterator /*hint*/, const Key& key, Args&&... args)
				{
					return DoTryEmplace(key, std::forward<Args>(args)...).first;
				}

				template<class... Args, class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				iterator try_emplace(const_iterator /*hint*/, Key&& key, Args&&... args)
				{
					return DoTryEmplace(std::move(key), std::forward<Args>(args)...).first;
				}

				template<class M, class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				std::pair<iterator, bool> insert_or_assign(const Key& key, M&& obj)
				{
					return DoInsertOrAssign(key, std::forward<M>(obj));
				}

				template<class M, class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				std::pair<iterator, bool> insert_or_assign(Key&& key, M&& obj)
				{
					return DoInsertOrAssign(std::move(key), std::forward<M>(obj));
				}

				iterator erase(const_iterator it)
				{
					const size_t slot = static_cast<size_t>(it - cbegin());

					EraseBucket(BucketOfSlot(slot));

					return begin() + slot;
				}

				template<class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				iterator erase(iterator it)
				{
					return erase(const_iterator(it));
				}

				iterator erase(const_iterator first, const_iterator last)
				{
					const size_t from = static_cast<size_t>(first - cbegin());
					size_t to         = static_cast<size_t>(last - cbegin());

					// Back to front: the value moved into each erased slot always comes from
					// outside [from, to), so no value of the range is skipped.
					while (to > from)
					{
						--to;
						EraseBucket(BucketOfSlot(to));
					}

					return begin() + from;
				}

				size_t erase(const Key& key)
				{
					const size_t found = FindBucket(key, HashOf(key));

					if (found == NoBucket)
					{
						return 0;
					}

					EraseBucket(found);

					return 1;
				}

				template<class K, std::enable_if_t<IsHeterogeneous<K>, bool> = true>
				size_t erase(K&& key)
				{
					const size_t found = FindBucket(key, HashOf(key));

					if (found == NoBucket)
					{
						return 0;
					}

					EraseBucket(found);

					return 1;
				}

				void swap(table& other) noexcept
				{
					using std::swap;
					swap(this->slots, other.slots);
					swap(this->buckets, other.buckets);
					swap(this->mask, other.mask);
					swap(this->hashFn, other.hashFn);
					swap(this->equalFn, other.equalFn);
				}

				// Gives up the values (the table is left empty).
				value_container_type extract() &&
				{
					value_container_type out;
					out.swap(this->slots);
					clear();

					return out;
				}

				const value_container_type& values() const noexcept
				{
					return this->slots;
				}

				// Lookup.

				template<class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				Q& at(const Key& key)
				{
					auto it = find(key);

					if (it == end())
					{
						throw std::out_of_range("ankerl::unordered_dense::map::at(): key not found");
					}

					return it->second;
				}

				template<class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				const Q& at(const Key& key) const
				{
					auto it = find(key);

					if (it == end())
					{
						throw std::out_of_range("ankerl::unordered_dense::map::at(): key not found");
					}

					return it->second;
				}

				template<class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				Q& operator[](const Key& key)
				{
					return DoTryEmplace(key).first->second;
				}

				template<class Q = T, std::enable_if_t<!std::is_void_v<Q>, bool> = true>
				Q& operator[](Key&& key)
				{
					return DoTryEmplace(std::move(key)).first->second;
				}

				iterator find(const Key& key)
				{
					const size_t found = FindBucket(key, HashOf(key));

					return found == NoBucket ? end() : begin() + (this->buckets[found].slotPlus1 - 1);
				}

				const_iterator find(const Key& key) const
				{
					const size_t found = FindBucket(key, HashOf(key));

					return found == NoBucket ? end() : begin() + (this->buckets[found].slotPlus1 - 1);
				}

				template<class K, std::enable_if_t<IsHeterogeneous<K>, bool> = true>
				iterator find(const K& key)
				{
					const size_t found = FindBucket(key, HashOf(key));

					return found == NoBucket ? end() : begin() + (this->buckets[found].slotPlus1 - 1);
				}

				template<class K, std::enable_if_t<IsHeterogeneous<K>, bool> = true>
				const_iterator find(const K& key) const
				{
					const size_t found = FindBucket(key, HashOf(key));

					return found == NoBucket ? end() : begin() + (this->buckets[found].slotPlus1 - 1);
				}

				size_t count(const Key& key) const
				{
					return find(key) == end() ? 0 : 1;
				}

				template<class K, std::enable_if_t<IsHeterogeneous<K>, bool> = true>
				size_t count(const K& key) const
				{
					return find(key) == end() ? 0 : 1;
				}

				bool contains(const Key& key) const
				{
					return find(key) != end();
				}

				template<class K, std::enable_if_t<IsHeterogeneous<K>, bool> = true>
				bool contains(const K& key) const
				{
					return find(key) != end();
				}

				std::pair<iterator, iterator> equal_range(const Key& key)
				{
					auto it = find(key);

					return { it, it == end() ? it : std::next(it) };
				}

				std::pair<const_iterator, const_iterator> equal_range(const Key& key) const
				{
					auto it = find(key);

					return { it, it == end() ? it : std::next(it) };
				}

				// Bucket interface / hash policy.

				size_t bucket_count() const noexcept
				{
					return this->buckets.size();
				}

				float load_factor() const noexcept
				{
					return this->buckets.empty() ? 0.0f
					                             : static_cast<float>(size()) / static_cast<float>(bucket_count());
				}

				float max_load_factor() const noexcept
				{
					return static_cast<float>(LoadNum) / static_cast<float>(LoadDen);
				}

				void rehash(size_t count)
				{
					count = std::max(count, size());
					Rebuild(BucketsFor(std::max<size_t>(count, 1)));
				}

				void reserve(size_t count)
				{
					this->slots.reserve(count);
					EnsureCapacity(std::max(count, size()));
				}

				hasher hash_function() const
				{
					return this->hashFn;
				}

				key_equal key_eq() const
				{
					return this->equalFn;
				}

				// Order-independent comparison, like the standard unordered containers.
				friend bool operator==(const table& a, const table& b)
				{
					if (a.size() != b.size())
					{
						return false;
					}

					for (const auto& v : a)
					{
						auto it = b.find(KeyOf(v));

						if (it == b.end())
						{
							return false;
						}

						if constexpr (IsMap)
						{
							if (!(it->second == v.second))
							{
								return false;
							}
						}
					}

					return true;
				}

				friend bool operator!=(const table& a, const table& b)
				{
					return !(a == b);
				}
			};
		} // namespace detail

		template<
		  class Key,
		  class T,
		  class Hash      = hash<Key>,
		  class KeyEqual  = std::equal_to<Key>,
		  class Allocator = std::allocator<std::pair<Key, T>>>
		using map = detail::table<Key, T, Hash, KeyEqual, Allocator>;

		template<
		  class Key,
		  class Hash      = hash<Key>,
		  class KeyEqual  = std::equal_to<Key>,
		  class Allocator = std::allocator<Key>>
		using set = detail::table<Key, void, Hash, KeyEqual, Allocator>;

		template<class Key, class T, class Hash, class KeyEqual, class Allocator>
		void swap(
		  detail::table<Key, T, Hash, KeyEqual, Allocator>& a,
		  detail::table<Key, T, Hash, KeyEqual, Allocator>& b) noexcept
		{
			a.swap(b);
		}
	} // namespace tandem_subset_v1
} // namespace ankerl::unordered_dense

#endif
