// The crypto module in one include: suites, hashes, domain tags, keys and signatures, AEAD.
#pragma once

#include "crypto/cipher.h"
#include "crypto/domain.h"
#include "crypto/hash.h"
#include "crypto/private_key.h"
#include "crypto/public_key.h"
#include "crypto/signature.h"
#include "crypto/suite.h"
